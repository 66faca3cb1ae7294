using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Piramid.Contracts;
using Piramid.Contracts.Problems;

namespace Piramid.ServiceDefaults;

/// <summary>
/// Gives every problem+json body the same shape: a catalogue type and its title, <c>instance</c> = the path the
/// client called, <c>trace_id</c> and <c>request_id</c>, in every process.
/// </summary>
public static class ProblemDefaults
{
    /// <summary>Name of the body member carrying the W3C trace id of the call.</summary>
    public const string TraceIdMember = "trace_id";

    /// <summary>Name of the body member repeating the <c>X-Request-Id</c> header.</summary>
    public const string RequestIdMember = "request_id";

    /// <summary>Maps a status code to the problem type clients switch on.</summary>
    public static string TypeFor(int status) => ProblemCatalog.ForStatus(status).Type;

    /// <summary>A detail for bodies produced by the framework (an unknown route, a wrong method).</summary>
    public static string DefaultDetail(int status) => status switch
    {
        StatusCodes.Status404NotFound => "No such resource or route; check the method and path against the API reference.",
        StatusCodes.Status405MethodNotAllowed => "This path does not accept this HTTP method; 'Allow' lists those it does.",
        StatusCodes.Status400BadRequest => "The request is malformed.",
        StatusCodes.Status401Unauthorized => "The request carries no valid credential.",
        StatusCodes.Status403Forbidden => "The caller may not do this.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        _ => "The request could not be completed. Quote the request id when you report it.",
    };

    /// <summary>
    /// Completes <paramref name="problem"/>: a type from the catalogue when it has none (or the framework's RFC
    /// link), the catalogue's title for a catalogue type, the called path, and the ids of the call.
    /// </summary>
    public static void Fill(HttpContext context, ProblemDetails problem, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        var status = problem.Status ?? context.Response.StatusCode;
        problem.Status = status;
        var kind = ProblemCatalog.FindByType(problem.Type);
        if (kind is null && (string.IsNullOrEmpty(problem.Type) || problem.Type == "about:blank"
            || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal)))
        {
            kind = ProblemCatalog.ForStatus(status);
            problem.Type = kind.Type;
        }

        if (kind is not null)
        {
            problem.Title = kind.Title;
        }

        if (status >= 500 && exception is not null and not ProblemException)
        {
            // Never leak an exception message, path or stack to a client.
            problem.Detail = "An unexpected error occurred. Quote the request id when you report it.";
        }

        problem.Detail ??= DefaultDetail(status);
        problem.Instance = context.Request.PathBase.Add(context.Request.Path).Value;
        problem.Extensions.Remove("traceId"); // the framework's camelCase spelling; one name everywhere
        problem.Extensions[TraceIdMember] = Activity.Current?.Id ?? context.TraceIdentifier;
        var requestId = context.Response.Headers[HeaderNames.RequestId].ToString();
        problem.Extensions[RequestIdMember] = string.IsNullOrEmpty(requestId) ? context.TraceIdentifier : requestId;
    }

    internal static void Customize(ProblemDetailsContext context) =>
        Fill(context.HttpContext, context.ProblemDetails, context.Exception);
}
