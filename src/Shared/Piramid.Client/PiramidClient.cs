using System.Net.Http.Headers;

namespace Piramid.Client;

/// <summary>
/// Client of a Piramid tenant's data API, through the gateway. Thread-safe; keep one per key and reuse it.
/// Every call retries 429 and 503 answers (honouring <c>Retry-After</c>) up to
/// <see cref="PiramidClientOptions.MaxAttempts"/>, and every write carries one <c>Idempotency-Key</c> across
/// its attempts. Refusals throw <see cref="PiramidApiException"/>.
/// </summary>
public sealed partial class PiramidClient : IDisposable
{
    private readonly PiramidClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _base;
    private readonly AuthenticationHeaderValue _authorization;

    /// <summary>Creates a client; <paramref name="httpClient"/> (not disposed by the client) lets the caller share a handler.</summary>
    public PiramidClient(PiramidClientOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient();
        // Relative paths resolve under the base's own path only when it ends with a slash.
        var text = options.BaseAddress.AbsoluteUri;
        _base = new Uri(text.EndsWith('/') ? text : text + "/");
        _authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
    }

    /// <summary>Disposes the HTTP client when the client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string Segment(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return Uri.EscapeDataString(value);
    }

    private static string CollectionPath(string collection, string? rest = null) =>
        rest is null ? $"v1/collections/{Segment(collection, nameof(collection))}" : $"v1/collections/{Segment(collection, nameof(collection))}/{rest}";
}
