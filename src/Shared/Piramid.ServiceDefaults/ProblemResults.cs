using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Piramid.Contracts.Problems;

namespace Piramid.ServiceDefaults;

/// <summary>
/// Writes a catalogue problem without throwing: for middleware that refuses a request (the gateway's edge checks)
/// and for endpoints that return a refusal as a result.
/// </summary>
public static class ProblemResults
{
    /// <summary>An endpoint result answering with a problem of <paramref name="kind"/>.</summary>
    public static IResult For(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new KindResult(kind, detail, extensions);

    /// <summary>Writes a problem of <paramref name="kind"/> as the whole answer.</summary>
    public static Task WriteAsync(HttpContext context, ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(kind);
        var problem = new ProblemDetails { Type = kind.Type, Title = kind.Title, Status = kind.Status, Detail = detail };
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }

        // Filled here too, not only by the problem-details service: that service skips clients whose Accept
        // header names neither JSON nor problem+json, and the body must not change shape for them.
        ProblemDefaults.Fill(context, problem, exception: null);
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }

    private sealed class KindResult(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions)
        : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => kind.Status;

        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, kind, detail, extensions);
    }
}
