using System.Collections.Concurrent;
using System.Net;

namespace Piramid.Client.Tests.Support;

/// <summary>A pass-through handler that writes down every attempt the client sends and the status it got.</summary>
public sealed class AttemptRecorder() : DelegatingHandler(new SocketsHttpHandler())
{
    /// <summary>What one attempt carried and got.</summary>
    public sealed record Attempt(string Method, string Path, string? IdempotencyKey, HttpStatusCode Status);

    /// <summary>Attempts in the order they were answered.</summary>
    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var key = request.Headers.TryGetValues("Idempotency-Key", out var values) ? values.Single() : null;
        Attempts.Enqueue(new Attempt(request.Method.Method, request.RequestUri!.AbsolutePath, key, response.StatusCode));
        return response;
    }
}
