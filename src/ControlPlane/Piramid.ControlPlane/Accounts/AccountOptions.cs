namespace Piramid.ControlPlane.Accounts;

/// <summary>Sign-in and password settings for people, bound from the <c>Accounts</c> section.</summary>
public sealed class AccountOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Accounts";

    /// <summary>Failed sign-ins in a row before the account is locked (default 5).</summary>
    public int LockoutFailures { get; set; } = 5;

    /// <summary>First lockout; each further failure doubles it (default 1 minute).</summary>
    public TimeSpan LockoutDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest lockout (default 1 hour), so a guesser cannot lock a person out for days.</summary>
    public TimeSpan LockoutMaxDelay { get; set; } = TimeSpan.FromHours(1);
}
