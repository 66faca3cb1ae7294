using Piramid.Contracts.Routes;

namespace Piramid.DataPlane.Api;

/// <summary>
/// Ties an endpoint to its route in the table (<see cref="PublicRoutes"/>): the endpoint is named after it and
/// carries it as metadata, where <see cref="ApiSupport.Authorize"/> reads the least role. Each mapping line
/// takes its method and template from the same route, so method, template and role are written once.
/// </summary>
internal static class RouteTableEndpoints
{
    /// <summary>Names the endpoint after <paramref name="route"/> and attaches the route for the role check.</summary>
    public static RouteHandlerBuilder For(this RouteHandlerBuilder builder, PublicRoute route) =>
        builder.WithName(route.Name).WithMetadata(route);

    /// <summary>The route of the endpoint serving this request, or null outside the table.</summary>
    public static PublicRoute? Current(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<PublicRoute>();
}
