using System.Net.Sockets;

namespace Piramid.Client.Tests;

/// <summary>
/// The client's transport errors reach the caller as <see cref="HttpRequestException"/>, whatever the handler threw:
/// SocketsHttpHandler lets a bare <see cref="SocketException"/> through when a connection is reset just after it was
/// accepted ("Transport endpoint is not connected"; seen in CI on the last attempt of
/// <see cref="TransportRetryTests.TransportRetries_StopAtMaxAttempts_WithTheTransportError"/>). A handler that throws
/// exactly that plays it on every attempt.
/// </summary>
public sealed class TransportErrorTests
{
    [Fact]
    public async Task ABareSocketException_IsRetried_AndSurfacesAsAnHttpRequestException()
    {
        using var handler = new ResettingHandler();
        using var client = new PiramidClient(
            new PiramidClientOptions { BaseAddress = new Uri("http://127.0.0.1:9/"), ApiKey = "pk_test", MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(1) },
            new HttpClient(handler));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.CountAsync("docs"));

        Assert.IsType<SocketException>(failure.InnerException);
        Assert.Equal(HttpRequestError.ConnectionError, failure.HttpRequestError);
        Assert.Equal(3, handler.Calls);
    }

    private sealed class ResettingHandler : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            throw new SocketException((int)SocketError.NotConnected);
        }
    }
}
