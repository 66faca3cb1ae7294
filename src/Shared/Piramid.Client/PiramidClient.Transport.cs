using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Piramid.Client.Http;
using Piramid.Client.Json;

namespace Piramid.Client;

public sealed partial class PiramidClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>
    /// Sends a request, retrying 429 and 503, and a failed connection or lost answer when <paramref name="safeToResend"/>
    /// (a read, or a write the server applies once per key); the body is serialized once and resent as the same bytes.
    /// </summary>
    private async Task<TAnswer?> SendAsync<TBody, TAnswer>(HttpMethod method, string path, TBody? body, JsonTypeInfo<TBody>? bodyType, JsonTypeInfo<TAnswer>? answerType, string? idempotencyKey, bool safeToResend, CancellationToken cancellationToken)
        where TAnswer : class
    {
        var bytes = body is null || bodyType is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan wait;
            try
            {
                var (answer, retryIn) = await AttemptAsync(method, path, bytes, answerType, idempotencyKey, attempt, cancellationToken);
                if (retryIn is null)
                {
                    return answer;
                }

                wait = retryIn.Value;
            }
            catch (Exception failure) when (safeToResend && IsTransportFailure(failure, cancellationToken) && attempt < _options.MaxAttempts)
            {
                // The request may or may not have reached the server: resending is safe only because it is a read or
                // carries the same Idempotency-Key, which the server replays.
                wait = RetryPolicy.Delay(attempt, retryAfter: null, _options)!.Value;
            }

            await Task.Delay(wait, _options.TimeProvider, cancellationToken);
        }
    }

    /// <summary>
    /// A connection refused or reset, or an answer cut off mid-body. The caller's cancellation and the
    /// <see cref="HttpClient.Timeout"/> surface as <see cref="OperationCanceledException"/> and are not retried.
    /// (<see cref="SendOnceAsync"/> wraps the bare <see cref="System.Net.Sockets.SocketException"/> SocketsHttpHandler
    /// sometimes lets through.)
    /// </summary>
    private static bool IsTransportFailure(Exception failure, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && failure is HttpRequestException or IOException;

    /// <summary>One attempt: the answer, or how long to wait before the next (a 429 or 503), or the problem thrown.</summary>
    private async Task<(TAnswer? Answer, TimeSpan? RetryIn)> AttemptAsync<TAnswer>(HttpMethod method, string path, byte[]? bytes, JsonTypeInfo<TAnswer>? answerType, string? idempotencyKey, int attempt, CancellationToken cancellationToken)
        where TAnswer : class
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Headers.Authorization = _authorization;
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.IdempotencyKey, idempotencyKey);
        }

        if (bytes is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = JsonMediaType;
        }

        using var response = await SendOnceAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            if (answerType is null || response.StatusCode == HttpStatusCode.NoContent)
            {
                return (null, null);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return (await JsonSerializer.DeserializeAsync(stream, answerType, cancellationToken)
                ?? throw new JsonException($"{method} {path} answered JSON null."), null);
        }

        var retryAfter = RetryPolicy.RetryAfter(response, _options.TimeProvider);
        if (attempt < _options.MaxAttempts && RetryPolicy.IsRetryable(response.StatusCode)
            && RetryPolicy.Delay(attempt, retryAfter, _options) is { } delay)
        {
            return (null, delay);
        }

        throw await ProblemReader.ReadAsync(response, retryAfter, cancellationToken);
    }

    // A transport failure reaches the caller as an HttpRequestException, as documented, also when SocketsHttpHandler
    // lets a bare SocketException through (a connection reset just after it was accepted: "Transport endpoint is not
    // connected", seen in CI on the last attempt of TransportRetryTests).
    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, e.Message, e);
        }
    }

    private Task<TAnswer?> SendAsync<TAnswer>(HttpMethod method, string path, JsonTypeInfo<TAnswer>? answerType, CancellationToken cancellationToken)
        where TAnswer : class =>
        SendAsync<object, TAnswer>(method, path, null, null, answerType, idempotencyKey: null, safeToResend: true, cancellationToken);

    private async Task<TAnswer> ReadAsync<TBody, TAnswer>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TAnswer> answerType, CancellationToken cancellationToken)
        where TAnswer : class =>
        (await SendAsync(method, path, body, bodyType, answerType, idempotencyKey: null, safeToResend: true, cancellationToken))!;

    /// <summary>A write: one key per logical write, the same on each attempt, so the server can replay instead of applying twice.</summary>
    private async Task<TAnswer> WriteAsync<TBody, TAnswer>(HttpMethod method, string path, TBody? body, JsonTypeInfo<TBody>? bodyType, JsonTypeInfo<TAnswer>? answerType, string? idempotencyKey, CancellationToken cancellationToken)
        where TAnswer : class =>
        (await SendAsync(method, path, body, bodyType, answerType, idempotencyKey ?? NewIdempotencyKey(), safeToResend: true, cancellationToken))!;

    private static string NewIdempotencyKey() => Guid.NewGuid().ToString("N");

    private static ClientJsonContext Json => ClientJsonContext.Default;
}
