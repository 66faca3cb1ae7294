namespace Piramid.Contracts.Accounts;

/// <summary>Body of <c>POST /v1/invitations/accept</c>, sent with the signed-in invitee's token.</summary>
/// <example>{"token": "inv_4f2c9d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e"}</example>
public sealed class InvitationAcceptRequest
{
    /// <summary>The token from the invitation link.</summary>
    public string? Token { get; set; }
}
