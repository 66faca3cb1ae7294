using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Piramid.Contracts.Problems;

namespace Piramid.ServiceDefaults;

/// <summary>
/// The one place exceptions become problems: a <see cref="ProblemException"/> as its kind says, and the binder's
/// <see cref="BadHttpRequestException"/> as a 4xx that names the field. Anything else falls through to the
/// framework's 500 without internal detail.
/// </summary>
public sealed class ProblemExceptionHandler : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        switch (exception)
        {
            case ProblemException problem:
                await ProblemResults.WriteAsync(httpContext, problem.Kind, problem.Message, problem.Extensions);
                return true;
            case BadHttpRequestException bad:
                await ProblemResults.WriteAsync(httpContext, ProblemCatalog.ForStatus(bad.StatusCode), BindingErrors.Describe(bad));
                return true;
            default:
                return false;
        }
    }
}
