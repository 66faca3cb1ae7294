namespace Piramid.Contracts.Accounts;

/// <summary>Answer of <c>POST /v1/me/totp</c>: a new TOTP secret, effective once confirmed with a code.</summary>
public sealed class TotpEnrolment
{
    /// <summary>The shared secret, base32 (RFC 4648, no padding).</summary>
    public required string Secret { get; set; }

    /// <summary><c>otpauth://totp/...</c> URI for authenticator apps (SHA-1, 6 digits, 30 s).</summary>
    public required string OtpauthUri { get; set; }
}
