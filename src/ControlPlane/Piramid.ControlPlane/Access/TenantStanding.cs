namespace Piramid.ControlPlane.Access;

/// <summary>The tenant a caller acts for and its role there, whatever its credential.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Role">A tenant role: <c>admin</c>, <c>read_write</c> or <c>read_only</c>.</param>
/// <param name="Scoped">True for an API key limited to collections, which manages nothing of the tenant.</param>
public sealed record TenantStanding(string TenantId, string Role, bool Scoped);
