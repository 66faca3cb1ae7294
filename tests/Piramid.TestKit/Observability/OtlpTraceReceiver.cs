using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Piramid.TestKit.Observability;

/// <summary>
/// A minimal OTLP/HTTP trace receiver (<c>POST /v1/traces</c>, protobuf) on a free loopback port: it keeps each span's
/// service, trace id, span id, parent and name. Only the fields it needs are decoded; the rest is skipped as the
/// protobuf wire format allows (opentelemetry-proto, trace/v1/trace.proto).
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();

    private OtlpTraceReceiver(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base URL to give exporters as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (protocol http/protobuf).</summary>
    public Uri Endpoint { get; }

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    /// <summary>Starts it.</summary>
    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var url = $"http://127.0.0.1:{LoopbackPort.GetFree()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var receiver = new OtlpTraceReceiver(app, new Uri(url));
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            foreach (var span in Decode(body.ToArray()))
            {
                receiver._spans.Enqueue(span);
            }

            context.Response.ContentType = "application/x-protobuf";
            return Results.Bytes([], "application/x-protobuf"); // an empty ExportTraceServiceResponse
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Decodes an <c>ExportTraceServiceRequest</c>.</summary>
    public static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var (field, resourceSpans) in Fields(request))
        {
            if (field != 1)
            {
                continue;
            }

            string? service = null;
            var scopeSpans = new List<byte[]>();
            foreach (var (f, value) in Fields(resourceSpans))
            {
                if (f == 1)
                {
                    service = ServiceName(value);
                }
                else if (f == 2)
                {
                    scopeSpans.Add(value);
                }
            }

            foreach (var scope in scopeSpans)
            {
                foreach (var (f, span) in Fields(scope))
                {
                    if (f == 2)
                    {
                        spans.Add(DecodeSpan(service ?? "", span));
                    }
                }
            }
        }

        return spans;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static ReceivedSpan DecodeSpan(string service, byte[] span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        foreach (var (f, value) in Fields(span))
        {
            switch (f)
            {
                case 1: traceId = Convert.ToHexStringLower(value); break;
                case 2: spanId = Convert.ToHexStringLower(value); break;
                case 4: parent = Convert.ToHexStringLower(value); break;
                case 5: name = Encoding.UTF8.GetString(value); break;
                case 6: kind = value.Length > 0 ? value[0] : 0; break;
                default: break;
            }
        }

        return new ReceivedSpan(service, traceId, spanId, parent, name, kind);
    }

    // Resource { repeated KeyValue attributes = 1 }; KeyValue { string key = 1; AnyValue value = 2 }; AnyValue { string string_value = 1 }.
    private static string? ServiceName(byte[] resource)
    {
        foreach (var (f, attribute) in Fields(resource))
        {
            if (f != 1)
            {
                continue;
            }

            string? key = null;
            string? text = null;
            foreach (var (af, value) in Fields(attribute))
            {
                if (af == 1)
                {
                    key = Encoding.UTF8.GetString(value);
                }
                else if (af == 2)
                {
                    text = Fields(value).Where(v => v.Field == 1).Select(v => Encoding.UTF8.GetString(v.Value)).FirstOrDefault();
                }
            }

            if (key == "service.name")
            {
                return text;
            }
        }

        return null;
    }

    // Every field of a message: length-delimited fields as their bytes, varints as their single low byte (enough
    // for a span kind), fixed-width fields skipped.
    private static List<(int Field, byte[] Value)> Fields(byte[] message)
    {
        var fields = new List<(int, byte[])>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = Varint(message, ref position);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add((field, [(byte)Varint(message, ref position)]));
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    fields.Add((field, message[position..(position + length)]));
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"unsupported protobuf wire type {tag & 7} at byte {position}");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}

/// <summary>One span as received: ids in lowercase hex, the parent empty for a root; kind 2 = server, 3 = client.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind);
