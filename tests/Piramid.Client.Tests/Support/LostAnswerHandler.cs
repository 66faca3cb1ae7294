using System.Net;
using System.Text;

namespace Piramid.Client.Tests.Support;

/// <summary>
/// Forwards every attempt to the real server, but loses the answer of the first one: the server did the work, and the
/// client sees a 503 (as from a proxy that lost the engine's answer) and retries.
/// </summary>
public sealed class LostAnswerHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _attempts;

    /// <summary>The body of the answer the client never saw.</summary>
    public string? LostAnswer { get; private set; }

    /// <summary>Attempts sent to the server.</summary>
    public int Attempts => _attempts;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (Interlocked.Increment(ref _attempts) > 1)
        {
            return response;
        }

        using (response)
        {
            LostAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
        }

        var lost = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Content = new StringContent(
                """{"type":"https://piramid.dev/problems/engine-unavailable","title":"Engine unavailable","status":503,"detail":"The answer was lost."}""",
                Encoding.UTF8,
                "application/problem+json"),
        };
        lost.Headers.TryAddWithoutValidation("Retry-After", "1");
        return lost;
    }
}
