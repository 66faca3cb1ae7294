namespace Piramid.Contracts.Accounts;

/// <summary>Answer of <c>POST /v1/tenants/{id}/invitations</c>; the token inside <see cref="InviteUrl"/> is shown this once.</summary>
public sealed class InvitationCreated
{
    /// <summary>The invitation's id (<c>inv_</c> + 16 hex).</summary>
    public required string Id { get; set; }

    /// <summary>The link to send to the invitee; its fragment <c>#token=...</c> is what <c>POST /v1/invitations/accept</c> takes.</summary>
    public required Uri InviteUrl { get; set; }

    /// <summary>The role the invitee gets.</summary>
    public required string Role { get; set; }

    /// <summary>The only email that may accept, if one was given.</summary>
    public string? Email { get; set; }

    /// <summary>After this time the invitation cannot be accepted (7 days after its creation).</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
