using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Keys;

/// <summary>A key just created or rotated, with the full secret key that is shown only now.</summary>
/// <param name="Key">The stored record (hashes only).</param>
/// <param name="Secret">The full <c>pk_..._...</c> key.</param>
public sealed record CreatedApiKey(ApiKey Key, string Secret);
