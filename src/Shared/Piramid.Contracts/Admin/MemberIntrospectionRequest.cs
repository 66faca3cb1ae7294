namespace Piramid.Contracts.Admin;

/// <summary>
/// Body of the gateway's <c>POST /internal/v1/members/introspect</c>: which tenant a signed-in person calls the data
/// API of. The answer has the shape of a key's introspection (<see cref="KeyIntrospectionResponse"/>), with the
/// member's role as a data-plane role, so quotas, limits and billing apply as for a key of that role.
/// </summary>
public sealed class MemberIntrospectionRequest
{
    /// <summary>Tenant id from the request path.</summary>
    public string? TenantId { get; set; }

    /// <summary>User id (the access token's <c>sub</c>).</summary>
    public string? UserId { get; set; }
}
