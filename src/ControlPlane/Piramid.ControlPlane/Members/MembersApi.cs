using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Accounts;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Admin;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Identity;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Members;

/// <summary>
/// <c>/v1/tenants/{id}/members</c> (list, change a role, remove or leave), <c>/v1/tenants/{id}/invitations</c> and
/// <c>/v1/invitations/accept</c> (docs/design/tenant-access.md, "Members").
/// </summary>
public static class MembersApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapGroup("/v1/tenants/{id}");
        tenant.MapGet("/members", List).RequireAuthorization(TenantPolicies.Member);
        tenant.MapPatch("/members/{userId}", ChangeRole).RequireAuthorization(TenantPolicies.Admin).AddEndpointFilter(IdempotencyFilter.Handle);
        // Any member may remove themself (leave); removing someone else is checked by MemberService.
        tenant.MapDelete("/members/{userId}", Remove).RequireAuthorization(TenantPolicies.Member).AddEndpointFilter(IdempotencyFilter.Handle);
        tenant.MapPost("/invitations", Invite).RequireAuthorization(TenantPolicies.Admin).AddEndpointFilter(IdempotencyFilter.Handle);
        app.MapPost("/v1/invitations/accept", Accept).RequireAuthorization(IdentityPolicies.User);
        return app;
    }

    private static async Task<Ok<MemberList>> List(string id, MemberService members, CancellationToken ct) =>
        TypedResults.Ok(await members.ListAsync(id, ct));

    private static async Task<Ok<MemberInfo>> ChangeRole(
        HttpContext context, string id, string userId, MemberUpdateRequest request, MemberService members, ControlPlaneDbContext db, CancellationToken ct)
    {
        var actor = await MemberActor.OfAsync(context, id, db, ct);
        return TypedResults.Ok(await members.ChangeRoleAsync(id, UserIdOf(userId), request.Role, actor, ct));
    }

    private static async Task<NoContent> Remove(HttpContext context, string id, string userId, MemberService members, ControlPlaneDbContext db, CancellationToken ct)
    {
        var actor = await MemberActor.OfAsync(context, id, db, ct);
        await members.RemoveAsync(id, UserIdOf(userId), actor, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Created<InvitationCreated>> Invite(
        HttpContext context, string id, InvitationCreateRequest request, InvitationService invitations, ControlPlaneDbContext db, CancellationToken ct)
    {
        var actor = await MemberActor.OfAsync(context, id, db, ct);
        var created = await invitations.CreateAsync(id, request, actor, ct);
        return TypedResults.Created($"/v1/tenants/{id}/invitations/{created.Id}", created);
    }

    private static async Task<Ok<MembershipInfo>> Accept(HttpContext context, InvitationAcceptRequest request, InvitationService invitations, CancellationToken ct)
    {
        var user = context.User;
        var id = Guid.TryParse(user.FindFirst("sub")?.Value, out var g) ? g : throw new ProblemException(ProblemCatalog.Unauthorized, "The token names no user.");
        return TypedResults.Ok(await invitations.AcceptAsync(id, user.FindFirst("email")?.Value ?? string.Empty, request, ct));
    }

    private static Guid UserIdOf(string userId) => Guid.TryParse(userId, out var id)
        ? id
        : throw new ProblemException(ProblemCatalog.NotFound, $"User '{userId}' is not a member of this tenant.");
}
