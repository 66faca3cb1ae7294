using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Tenants;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Admin;

/// <summary>Maps the exceptions a handler raises for a caller's mistake to problem+json (never a 5xx).</summary>
internal static class AdminErrors
{
    public static async ValueTask<object?> Handle(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ControlPlaneException e)
        {
            return TypedResults.Problem(statusCode: e.Status, type: e.ProblemType, title: e.Title, detail: e.Message);
        }
        catch (BadHttpRequestException e)
        {
            return TypedResults.Problem(statusCode: e.StatusCode, type: ProblemTypes.InvalidRequest, title: "Invalid request", detail: BindingErrors.Describe(e));
        }
    }
}
