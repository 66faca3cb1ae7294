namespace Piramid.ControlPlane.Members;

/// <summary>Invitations (section <c>Invitations</c>).</summary>
public sealed class InvitationOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Invitations";

    /// <summary>Longest lifetime an operator may configure.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    /// <summary>How long an invitation can be accepted (<c>Invitations:Lifetime</c>, default 7 days).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);
}
