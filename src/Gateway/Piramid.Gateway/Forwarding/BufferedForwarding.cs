using Yarp.ReverseProxy.Forwarder;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// The forwarder's HTTP client, with small request bodies sent in the same write as their headers.
/// </summary>
/// <remarks>
/// YARP streams every request body and flushes the headers before the first body byte (so that duplex
/// protocols can start). For the small JSON bodies of this API that costs a second send, and the engine a
/// second wake-up, on every request. A body whose declared length is at most
/// <see cref="MaxBufferedBytes"/> is read whole first instead; longer and chunked bodies still stream.
/// </remarks>
public sealed class BufferedForwarding : ForwarderHttpClientFactory
{
    /// <summary>Largest declared body that is buffered; it bounds the memory of one request.</summary>
    public const long MaxBufferedBytes = 64 * 1024;

    /// <inheritdoc />
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new SmallBodies(base.WrapHandler(context, handler));

    private sealed class SmallBodies(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Reading the body runs YARP's own copy into a buffer: a short or broken body fails here just as it
            // would while streaming, and the forwarder reports it as the client's error.
            if (request.Content is { Headers.ContentLength: > 0 and <= MaxBufferedBytes } content)
            {
                await content.LoadIntoBufferAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
