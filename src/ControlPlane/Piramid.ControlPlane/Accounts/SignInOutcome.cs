using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Accounts;

/// <summary>What a sign-in attempt came to. Callers answer every failure alike.</summary>
/// <param name="User">The user, when the password (and code, if asked) were right.</param>
/// <param name="NeedsCode">The password was right and the user has TOTP on: ask for a code next.</param>
public sealed record SignInOutcome(User? User, bool NeedsCode)
{
    /// <summary>Any failure: unknown email, wrong password or code, or locked out.</summary>
    public static SignInOutcome Failed { get; } = new(null, false);

    /// <summary>True when the user is signed in.</summary>
    public bool Succeeded => User is not null && !NeedsCode;
}
