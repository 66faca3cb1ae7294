namespace Piramid.Contracts.Accounts;

/// <summary>Body of <c>POST /v1/me/password</c>; every token of the user is revoked when it succeeds.</summary>
public sealed class PasswordChangeRequest
{
    /// <summary>The current password.</summary>
    public string? CurrentPassword { get; set; }

    /// <summary>The new password (same rules as at sign-up).</summary>
    public string? NewPassword { get; set; }
}
