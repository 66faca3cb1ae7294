using System.Net;

namespace Piramid.Client;

/// <summary>
/// The platform refused a request: the fields of its <c>application/problem+json</c> body
/// (<see href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</see>).
/// </summary>
public sealed class PiramidApiException : Exception
{
    /// <summary>Creates the exception from a problem's fields.</summary>
    public PiramidApiException(HttpStatusCode status, string? type, string? title, string? detail, string? instance, string? traceId, string? requestId, TimeSpan? retryAfter)
        : base(BuildMessage(status, type, title, detail))
    {
        Status = status;
        Type = type;
        Title = title;
        Detail = detail;
        Instance = instance;
        TraceId = traceId;
        RequestId = requestId;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The stable problem type URI, e.g. <c>https://piramid.dev/problems/not-found</c>; null when the body was not a problem.</summary>
    public string? Type { get; }

    /// <summary>Short human summary of the type.</summary>
    public string? Title { get; }

    /// <summary>What exactly was wrong (names the field for a 400).</summary>
    public string? Detail { get; }

    /// <summary>The path the request called.</summary>
    public string? Instance { get; }

    /// <summary>The trace id (<c>trace_id</c>), to quote to the operator.</summary>
    public string? TraceId { get; }

    /// <summary>The request id (<c>request_id</c> or the <c>X-Request-Id</c> header).</summary>
    public string? RequestId { get; }

    /// <summary>The answer's <c>Retry-After</c>, when it had one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The last path segment of <see cref="Type"/> (<c>not-found</c>, <c>rate-limited</c>...).</summary>
    public string? Code => Type is null ? null : Type[(Type.LastIndexOf('/') + 1)..];

    private static string BuildMessage(HttpStatusCode status, string? type, string? title, string? detail)
    {
        var head = $"{(int)status} {title ?? status.ToString()}";
        var text = detail is null ? head : $"{head}: {detail}";
        return type is null ? text : $"{text} ({type})";
    }
}
