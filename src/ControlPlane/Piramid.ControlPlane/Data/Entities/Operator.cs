namespace Piramid.ControlPlane.Data.Entities;

/// <summary>A platform operator or machine client, known to OpenIddict by <see cref="ClientId"/>.</summary>
public sealed class Operator
{
    /// <summary>Id.</summary>
    public required string Id { get; set; }

    /// <summary>Display name.</summary>
    public required string Name { get; set; }

    /// <summary>OAuth client id.</summary>
    public required string ClientId { get; set; }

    /// <summary>Roles, e.g. <c>platform_admin</c>.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
