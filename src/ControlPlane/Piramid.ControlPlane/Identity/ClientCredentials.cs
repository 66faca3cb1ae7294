namespace Piramid.ControlPlane.Identity;

/// <summary>A newly created client's id and secret; the secret exists only here, the database keeps a hash.</summary>
/// <param name="ClientId">OAuth client id.</param>
/// <param name="ClientSecret">The client secret (256 random bits, base64url), shown once.</param>
public sealed record ClientCredentials(string ClientId, string ClientSecret)
{
    /// <summary>Never prints the secret, so logging the object cannot leak it.</summary>
    public override string ToString() => $"ClientCredentials {{ ClientId = {ClientId}, ClientSecret = *** }}";
}
