namespace Piramid.Contracts.Accounts;

/// <summary>Answer of <c>POST /v1/me/totp/confirm</c>: the second factor is on; recovery codes are shown once.</summary>
public sealed class TotpConfirmation
{
    /// <summary>Ten single-use recovery codes, each accepted once in place of a TOTP code.</summary>
    public required IReadOnlyList<string> RecoveryCodes { get; set; }
}
