using System.Text.Json;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Admin;

/// <summary>
/// Writes a refusal of bad input: problem+json everywhere, except under <c>/connect/</c> where OAuth clients
/// expect the RFC 6749 error object (<c>error</c>, <c>error_description</c>).
/// </summary>
internal static class InputProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string detail)
    {
        if (context.Request.Path.StartsWithSegments("/connect", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json;charset=UTF-8";
            await JsonSerializer.SerializeAsync(
                context.Response.Body,
                new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = detail },
                cancellationToken: context.RequestAborted);
            return;
        }

        await ProblemResults.WriteAsync(context, ProblemCatalog.ForStatus(status), detail);
    }
}
