namespace Piramid.ControlPlane.Keys;

/// <summary>
/// A validated change of a key: null <see cref="Name"/> or <see cref="Collections"/> keep the key's value;
/// <see cref="ExpiresAt"/> applies only when <see cref="SetsExpiry"/> (null then removes the expiry).
/// </summary>
public sealed record ApiKeyChange(string? Name, IReadOnlyList<string>? Collections, bool SetsExpiry, DateTimeOffset? ExpiresAt);
