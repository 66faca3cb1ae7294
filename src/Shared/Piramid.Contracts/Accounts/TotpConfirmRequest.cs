namespace Piramid.Contracts.Accounts;

/// <summary>Body of <c>POST /v1/me/totp/confirm</c>: a current code of the enrolled secret.</summary>
public sealed class TotpConfirmRequest
{
    /// <summary>Six digits.</summary>
    public string? Code { get; set; }
}
