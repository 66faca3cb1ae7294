using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Piramid.TestKit;

namespace Piramid.Client.Tests.Support;

/// <summary>
/// A loopback HTTP server of our own that answers each request with the next scripted answer (the last one
/// repeats), and records what each request carried: answers the real platform cannot be made to give on demand.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<Func<HttpResponse, Task>> _answers;
    private int _served;

    private ScriptedServer(WebApplication app, IReadOnlyList<Func<HttpResponse, Task>> answers, Uri address)
    {
        _app = app;
        _answers = answers;
        Address = address;
    }

    /// <summary>http://127.0.0.1:port/.</summary>
    public Uri Address { get; }

    /// <summary>Idempotency-Key (or null) and arrival time of each request, in order.</summary>
    public ConcurrentQueue<(string? IdempotencyKey, string? Authorization, string Path, DateTimeOffset At)> Requests { get; } = new();

    /// <summary>Completes when the first request has arrived.</summary>
    public TaskCompletionSource FirstRequest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts a server answering with <paramref name="answers"/> in turn.</summary>
    public static async Task<ScriptedServer> StartAsync(params Func<HttpResponse, Task>[] answers)
    {
        var url = $"http://127.0.0.1:{LoopbackPort.GetFree()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var server = new ScriptedServer(app, answers, new Uri(url + "/"));
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>A problem+json answer with an optional Retry-After (seconds).</summary>
    public static Func<HttpResponse, Task> Problem(int status, string type, int? retryAfterSeconds = null) => async response =>
    {
        response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.ContentType = "application/problem+json";
        await response.WriteAsync($$"""{"type":"https://piramid.dev/problems/{{type}}","title":"Scripted","status":{{status}},"detail":"scripted {{status}}","instance":"/scripted","trace_id":"00-abc-01"}""");
    };

    /// <summary>A 200 with a JSON body.</summary>
    public static Func<HttpResponse, Task> Json(string body) => async response =>
    {
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.WriteAsync(body);
    };

    private async Task AnswerAsync(HttpContext context)
    {
        var index = Interlocked.Increment(ref _served) - 1;
        Requests.Enqueue((context.Request.Headers["Idempotency-Key"].SingleOrDefault(), context.Request.Headers.Authorization.SingleOrDefault(), context.Request.Path.Value ?? string.Empty, DateTimeOffset.UtcNow));
        FirstRequest.TrySetResult();
        await _answers[Math.Min(index, _answers.Count - 1)](context.Response);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
