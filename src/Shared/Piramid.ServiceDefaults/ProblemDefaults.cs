using Microsoft.AspNetCore.Http;
using Piramid.Contracts;
using Piramid.Contracts.Problems;

namespace Piramid.ServiceDefaults;

/// <summary>Fills in the stable problem <c>type</c> and the request id on every problem+json body.</summary>
public static class ProblemDefaults
{
    /// <summary>Maps a status code to the problem type clients switch on.</summary>
    public static string TypeFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ProblemTypes.InvalidRequest,
        StatusCodes.Status401Unauthorized => ProblemTypes.Unauthorized,
        StatusCodes.Status403Forbidden => ProblemTypes.Forbidden,
        StatusCodes.Status404NotFound => ProblemTypes.NotFound,
        StatusCodes.Status405MethodNotAllowed => ProblemTypes.InvalidRequest,
        StatusCodes.Status409Conflict => ProblemTypes.Conflict,
        StatusCodes.Status413PayloadTooLarge => ProblemTypes.PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ProblemTypes.UnsupportedMediaType,
        StatusCodes.Status431RequestHeaderFieldsTooLarge => ProblemTypes.HeadersTooLarge,
        StatusCodes.Status429TooManyRequests => ProblemTypes.RateLimited,
        StatusCodes.Status503ServiceUnavailable => ProblemTypes.EngineUnavailable,
        StatusCodes.Status507InsufficientStorage => ProblemTypes.InsufficientStorage,
        _ => ProblemTypes.Internal,
    };

    /// <summary>A detail for bodies produced by the framework (an unknown route, a wrong method).</summary>
    public static string DefaultDetail(int status) => status switch
    {
        StatusCodes.Status404NotFound => "No such resource or route; check the method and path against the API reference.",
        StatusCodes.Status405MethodNotAllowed => "This path does not accept this HTTP method.",
        StatusCodes.Status400BadRequest => "The request is malformed.",
        StatusCodes.Status401Unauthorized => "The request carries no valid credential.",
        StatusCodes.Status403Forbidden => "The caller may not do this.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        _ => "The request could not be completed. Quote the request id when you report it.",
    };

    internal static void Customize(Microsoft.AspNetCore.Http.ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (string.IsNullOrEmpty(problem.Type) || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
        {
            problem.Type = TypeFor(status);
        }

        if (status >= 500 && context.Exception is not null)
        {
            // Never leak an exception message, path or stack to a client.
            problem.Detail = "An unexpected error occurred. Quote the request id when you report it.";
        }

        problem.Detail ??= DefaultDetail(status);
        problem.Instance ??= context.HttpContext.Request.Path;
        var requestId = context.HttpContext.Response.Headers[HeaderNames.RequestId].ToString();
        if (string.IsNullOrEmpty(requestId))
        {
            requestId = context.HttpContext.TraceIdentifier;
        }

        problem.Extensions["request_id"] = requestId;
    }
}
