namespace Piramid.DataPlane.Security;

/// <summary>What the engine checks signed identities against.</summary>
/// <param name="TenantId">The only tenant this engine serves.</param>
/// <param name="Secret">HMAC key shared with the gateway (never logged).</param>
/// <param name="MaxAge">Largest accepted difference between the signing time and now.</param>
public sealed record InternalAuthSettings(string TenantId, byte[] Secret, TimeSpan MaxAge);
