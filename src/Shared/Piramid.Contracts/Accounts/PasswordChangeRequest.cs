namespace Piramid.Contracts.Accounts;

/// <summary>Body of <c>POST /v1/me/password</c>; every token of the user is revoked when it succeeds.</summary>
/// <example>{"current_password": "correct horse battery staple", "new_password": "a longer passphrase of mine"}</example>
public sealed class PasswordChangeRequest
{
    /// <summary>The current password.</summary>
    public string? CurrentPassword { get; set; }

    /// <summary>The new password (same rules as at sign-up).</summary>
    public string? NewPassword { get; set; }
}
