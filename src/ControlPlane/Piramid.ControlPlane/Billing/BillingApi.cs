using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Billing;
using Piramid.ControlPlane.Access;

namespace Piramid.ControlPlane.Billing;

/// <summary><c>/v1/tenants/{id}/billing</c>: the tenant's billing, and Stripe Checkout and Customer Portal sessions.</summary>
public static class BillingApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{id}/billing").RequireAuthorization(TenantPolicies.Admin);
        group.MapGet("/", Get);
        group.MapPost("/checkout", Checkout);
        group.MapPost("/portal", Portal);
        app.MapStripeWebhooks();
        return app;
    }

    private static async Task<Ok<TenantBilling>> Get(string id, BillingService billing, CancellationToken ct) =>
        TypedResults.Ok(await billing.GetAsync(id, ct));

    private static async Task<Ok<BillingSession>> Checkout(string id, BillingService billing, CancellationToken ct) =>
        TypedResults.Ok(await billing.CheckoutAsync(id, ct));

    private static async Task<Ok<BillingSession>> Portal(string id, BillingService billing, CancellationToken ct) =>
        TypedResults.Ok(await billing.PortalAsync(id, ct));
}
