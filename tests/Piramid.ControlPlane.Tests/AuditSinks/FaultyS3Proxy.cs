using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// A loopback HTTP proxy in front of an S3 store (moto) that passes a set number of PUTs and then answers the rest
/// 503 SlowDown, as a store under load would: a batch of several objects then fails part way.
/// </summary>
internal sealed class FaultyS3Proxy : IAsyncDisposable
{
    private static readonly HashSet<string> Hop = new(StringComparer.OrdinalIgnoreCase) { "Host", "Transfer-Encoding", "Connection", "Content-Length" };
    private readonly WebApplication _app;
    private readonly HttpClient _client = new();
    private readonly Uri _target;
    private int _allowance = int.MaxValue;
    private int _passed;

    private FaultyS3Proxy(WebApplication app, Uri target)
    {
        _app = app;
        _target = target;
        _app.Run(HandleAsync);
    }

    /// <summary>Where the sink sends its requests.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>PUTs passed to the store so far.</summary>
    public int PutsPassed => Volatile.Read(ref _passed);

    public static async Task<FaultyS3Proxy> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var proxy = new FaultyS3Proxy(builder.Build(), target);
        await proxy._app.StartAsync();
        var address = proxy._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return proxy;
    }

    /// <summary>The next <paramref name="puts"/> PUTs pass, the ones after them fail.</summary>
    public void FailAfter(int puts) => Volatile.Write(ref _allowance, puts);

    /// <summary>Every PUT passes.</summary>
    public void PassAll() => Volatile.Write(ref _allowance, int.MaxValue);

    private async Task HandleAsync(HttpContext context)
    {
        var put = HttpMethods.IsPut(context.Request.Method);
        if (put && Interlocked.Decrement(ref _allowance) < 0)
        {
            context.Response.StatusCode = 503;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>test</Message></Error>");
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString));
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length > 0 || put)
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (!Hop.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (put && response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _passed);
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!Hop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _client.Dispose();
    }
}
