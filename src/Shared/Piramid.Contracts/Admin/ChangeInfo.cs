namespace Piramid.Contracts.Admin;

/// <summary>One change for the gateway to act on.</summary>
public sealed class ChangeInfo
{
    /// <summary>Monotonic id.</summary>
    public long Id { get; set; }

    /// <summary><c>key</c>, <c>tenant</c>, <c>route</c> or <c>plan</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>Key id, tenant id or plan id.</summary>
    public required string Subject { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset Time { get; set; }
}
