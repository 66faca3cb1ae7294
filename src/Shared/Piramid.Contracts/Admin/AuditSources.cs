namespace Piramid.Contracts.Admin;

/// <summary>Values of an audit event's <c>source</c> (and of the <c>source</c> filter).</summary>
public static class AuditSources
{
    /// <summary>Recorded by the control plane (tenants, keys, members, refused credentials).</summary>
    public const string Control = "control";

    /// <summary>Recorded by the tenant's engine in its hash-chained log (every data mutation).</summary>
    public const string Data = "data";
}
