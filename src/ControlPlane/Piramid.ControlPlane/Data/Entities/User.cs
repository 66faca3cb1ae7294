namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// A person who signs in with an email and a password. Operators are users with <see cref="PlatformAdmin"/>.
/// Secrets are never stored in the clear: the password as ASP.NET Core Identity's PBKDF2 hash, the TOTP secret
/// encrypted with the identity key, recovery codes as hashes.
/// </summary>
public sealed class User
{
    /// <summary>Id, the <c>sub</c> of the user's tokens.</summary>
    public Guid Id { get; set; }

    /// <summary>Email, normalized (<see cref="Accounts.EmailAddress.Normalize"/>: trimmed, lower-invariant); unique.</summary>
    public required string Email { get; set; }

    /// <summary>Password hash (ASP.NET Core Identity's <c>PasswordHasher</c> format).</summary>
    public required string PasswordHash { get; set; }

    /// <summary>An operator of the platform (role <c>platform_admin</c> in tokens).</summary>
    public bool PlatformAdmin { get; set; }

    /// <summary>Failed sign-ins since the last success; drives the lockout delay.</summary>
    public int FailedCount { get; set; }

    /// <summary>No sign-in is accepted before this time.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Random value replaced on password change (and other security changes); tokens carrying an older one are refused.</summary>
    public required string SecurityStamp { get; set; }

    /// <summary>TOTP secret encrypted with the identity encryption key; null when never enrolled.</summary>
    public byte[]? TotpSecret { get; set; }

    /// <summary>True once enrolment was confirmed with a code: sign-in then asks for a code.</summary>
    public bool TotpEnabled { get; set; }

    /// <summary>The last TOTP time step accepted, so a code is not accepted twice.</summary>
    public long? TotpLastStep { get; set; }

    /// <summary>Hashes of the unused recovery codes (each is removed when used).</summary>
    public List<string> RecoveryCodeHashes { get; set; } = [];

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
