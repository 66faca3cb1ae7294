namespace Piramid.Contracts.Accounts;

/// <summary>Body of <c>POST /v1/invitations/accept</c>, sent with the signed-in invitee's token.</summary>
public sealed class InvitationAcceptRequest
{
    /// <summary>The token from the invitation link.</summary>
    public string? Token { get; set; }
}
