using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Piramid.Contracts.Problems;

namespace Piramid.ServiceDefaults;

/// <summary>
/// Gives the answers Kestrel writes itself (a bad request line, a bogus version, a URI or headers over its limits,
/// a malformed <c>Content-Length</c>) a problem+json body. Kestrel refuses such requests before any middleware runs
/// and offers no hook for the body, so this connection middleware watches what Kestrel writes: an HTTP/1.x error
/// head with <c>Content-Length: 0</c> and <c>Connection: close</c>, the exact shape of its refusals (the
/// applications' own errors always carry a body), gets the body appended in the same buffer before it is committed.
/// </summary>
/// <remarks>
/// The check costs a few byte comparisons per write and allocates nothing unless it rewrites. Over TLS the connection
/// middleware sees encrypted bytes and leaves them alone. No reflection: the engine is Native AOT.
/// </remarks>
public static class KestrelProblemBodies
{
    /// <summary>Connection middleware (<c>ListenOptions.Use</c>).</summary>
    public static ConnectionDelegate Wrap(ConnectionDelegate next) => connection =>
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.Transport = new Duplex(connection.Transport.Input, new Writer(connection.Transport.Output));
        return next(connection);
    };

    /// <summary>Rewrites <paramref name="written"/> bytes of <paramref name="buffer"/> in place when they are a bodiless refusal; returns the new length, or -1.</summary>
    public static int TryRewrite(Span<byte> buffer, int written)
    {
        var head = buffer[..written];
        if (written < 16 || !(head.StartsWith("HTTP/1.1 "u8) || head.StartsWith("HTTP/1.0 "u8)) || !head.EndsWith("\r\n\r\n"u8)
            || head.IndexOf("\r\n\r\n"u8) != written - 4 || (head[9] != (byte)'4' && head[9] != (byte)'5'))
        {
            return -1;
        }

        var length = head.IndexOf("\r\nContent-Length: 0\r\n"u8);
        if (length < 0 || head.IndexOf("\r\nConnection: close\r\n"u8) < 0 || !int.TryParse(Encoding.ASCII.GetString(head.Slice(9, 3)), out var status))
        {
            return -1;
        }

        var body = Encoding.UTF8.GetBytes(Body(status));
        var replacement = Encoding.ASCII.GetBytes($"\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n");
        var oldPart = "\r\nContent-Length: 0\r\n"u8.Length;
        var total = written - oldPart + replacement.Length + body.Length;
        if (total > buffer.Length)
        {
            return -1;
        }

        var rest = head[(length + oldPart)..].ToArray();
        replacement.CopyTo(buffer[length..]);
        rest.CopyTo(buffer[(length + replacement.Length)..]);
        body.CopyTo(buffer[(length + replacement.Length + rest.Length)..]);
        return total;
    }

    private static string Body(int status)
    {
        var detail = status switch
        {
            StatusCodes.Status400BadRequest => "The request line or headers are malformed (method, target, version, header syntax, Content-Length).",
            StatusCodes.Status408RequestTimeout => "The request headers or body arrived too slowly.",
            StatusCodes.Status411LengthRequired => "A request with a body must carry Content-Length or chunked Transfer-Encoding.",
            StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
            StatusCodes.Status414UriTooLong => "The request target is longer than the server accepts.",
            StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request has too many headers or they are too large.",
            StatusCodes.Status501NotImplemented => "The request uses a method or framing the server does not implement.",
            StatusCodes.Status505HttpVersionNotsupported => "Use HTTP/1.1 (or HTTP/2 over TLS).",
            _ => ProblemDefaults.DefaultDetail(status),
        };

        // Kestrel refuses before a request exists: there is no path for 'instance' and no trace yet.
        var kind = ProblemCatalog.ForStatus(status);
        return $"{{\"type\":\"{kind.Type}\",\"title\":\"{kind.Title}\",\"status\":{status},\"detail\":\"{detail}\"}}";
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes everything through; looks at each advanced chunk before it is committed.</summary>
    private sealed class Writer(PipeWriter inner) : PipeWriter
    {
        private Memory<byte> _last;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes)
        {
            if (bytes >= 16 && bytes <= _last.Length && TryRewrite(_last.Span, bytes) is var rewritten and > 0)
            {
                bytes = rewritten;
            }

            _last = default;
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(Math.Max(sizeHint, 1024));

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
    }
}
