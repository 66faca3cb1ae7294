namespace Piramid.Contracts.Admin;

/// <summary>A page of audit events, oldest first; <see cref="NextCursor"/> continues after the last one.</summary>
public sealed class AuditEventList
{
    /// <summary>Events.</summary>
    public IReadOnlyList<AuditEventInfo> Events { get; set; } = [];

    /// <summary>Pass as <c>after</c> for the next page; null at the end of the range.</summary>
    public long? NextCursor { get; set; }
}
