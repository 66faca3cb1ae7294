namespace Piramid.Contracts.Admin;

/// <summary>The kinds of <see cref="ChangeInfo"/> the control plane writes and the gateway acts on.</summary>
public static class ChangeKinds
{
    /// <summary>An API key changed (created, rotated, revoked); the subject is its id.</summary>
    public const string Key = "key";

    /// <summary>A tenant changed (plan, suspension, deletion); the subject is its id.</summary>
    public const string Tenant = "tenant";

    /// <summary>A tenant's engine moved or changed state; the subject is the tenant id.</summary>
    public const string Route = "route";

    /// <summary>A plan's limits changed; the subject is its id.</summary>
    public const string Plan = "plan";

    /// <summary>A membership changed (role, removal); the subject is <c>{tenant id}/{user id}</c>.</summary>
    public const string Member = "member";

    /// <summary>Every kind, for tests and documentation.</summary>
    public static IReadOnlyList<string> All { get; } = [Key, Tenant, Route, Plan, Member];
}
