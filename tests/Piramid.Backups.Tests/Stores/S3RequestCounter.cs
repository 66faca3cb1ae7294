using System.Net;
using System.Text;

namespace Piramid.Backups.Tests.Stores;

/// <summary>
/// The HTTP handler under the S3 client: counts the requests the store makes by S3 operation, and answers the
/// next ones of a kind with a 503 (as an overloaded S3 does) without passing them on.
/// </summary>
internal sealed class S3RequestCounter() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _uploadParts, _initiates, _puts, _failUploadParts, _failPuts, _corruptPuts;

    public int UploadParts => Volatile.Read(ref _uploadParts);

    public int Initiates => Volatile.Read(ref _initiates);

    /// <summary>Single-request object puts (not parts).</summary>
    public int Puts => Volatile.Read(ref _puts);

    public void FailNextUploadParts(int count) => Volatile.Write(ref _failUploadParts, count);

    public void FailNextPuts(int count) => Volatile.Write(ref _failPuts, count);

    /// <summary>Flips a byte in the body of the next object puts and parts on their way (a bad NIC, a broken proxy).</summary>
    public void CorruptNextBodies(int count) => Volatile.Write(ref _corruptPuts, count);

    public void Reset()
    {
        Volatile.Write(ref _uploadParts, 0);
        Volatile.Write(ref _initiates, 0);
        Volatile.Write(ref _puts, 0);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = Classify(request);
        if (response is not null)
        {
            return response;
        }

        if (request.Method == HttpMethod.Put && request.Content is not null && TakeFailure(ref _corruptPuts))
        {
            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            // aws-chunked bodies ("<size>;chunk-signature=...\r\n<data>..."): hit the data, not the framing.
            var chunked = request.Headers.TryGetValues("x-amz-content-sha256", out var mode) && mode.First().StartsWith("STREAMING-", StringComparison.Ordinal);
            var at = chunked ? body.AsSpan().IndexOf("\r\n"u8) + 12 : body.Length / 2;
            body[at] ^= 0x5A;
            var corrupted = new ByteArrayContent(body);
            foreach (var header in request.Content.Headers)
            {
                corrupted.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Content = corrupted;
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private HttpResponseMessage? Classify(HttpRequestMessage request)
    {
        var query = request.RequestUri?.Query ?? "";
        if (request.Method == HttpMethod.Put && query.Contains("partNumber=", StringComparison.Ordinal) && !request.Headers.Contains("x-amz-copy-source"))
        {
            Interlocked.Increment(ref _uploadParts);
            if (TakeFailure(ref _failUploadParts))
            {
                return Unavailable();
            }
        }
        else if (request.Method == HttpMethod.Post && query.Contains("uploads", StringComparison.Ordinal) && !query.Contains("uploadId", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _initiates);
        }
        else if (request.Method == HttpMethod.Put && query.Length <= 1 && !request.Headers.Contains("x-amz-copy-source"))
        {
            Interlocked.Increment(ref _puts);
            if (TakeFailure(ref _failPuts))
            {
                return Unavailable();
            }
        }

        return null;
    }

    private static bool TakeFailure(ref int remaining)
    {
        while (true)
        {
            var current = Volatile.Read(ref remaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref remaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private static HttpResponseMessage Unavailable() => new(HttpStatusCode.ServiceUnavailable)
    {
        Content = new StringContent(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>ServiceUnavailable</Code><Message>Injected by the test.</Message></Error>",
            Encoding.UTF8,
            "application/xml"),
    };
}
