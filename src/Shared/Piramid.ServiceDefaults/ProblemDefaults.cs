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
        StatusCodes.Status429TooManyRequests => ProblemTypes.RateLimited,
        StatusCodes.Status503ServiceUnavailable => ProblemTypes.EngineUnavailable,
        StatusCodes.Status507InsufficientStorage => ProblemTypes.InsufficientStorage,
        _ => ProblemTypes.Internal,
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

        problem.Instance ??= context.HttpContext.Request.Path;
        var requestId = context.HttpContext.Response.Headers[HeaderNames.RequestId].ToString();
        if (string.IsNullOrEmpty(requestId))
        {
            requestId = context.HttpContext.TraceIdentifier;
        }

        problem.Extensions["request_id"] = requestId;
    }
}
