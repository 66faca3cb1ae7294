namespace Piramid.Contracts.Admin;

/// <summary>A page of audit events, oldest first; <see cref="NextCursor"/> continues after the last one.</summary>
public sealed class AuditEventList
{
    /// <summary>Events.</summary>
    public IReadOnlyList<AuditEventInfo> Events { get; set; } = [];

    /// <summary>Opaque; pass it unchanged as <c>cursor</c> for the next page. Null at the end of the range.</summary>
    public string? NextCursor { get; set; }
}
