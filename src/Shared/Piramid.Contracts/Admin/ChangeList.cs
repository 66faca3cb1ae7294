namespace Piramid.Contracts.Admin;

/// <summary>Body of <c>GET /internal/v1/changes</c>.</summary>
public sealed class ChangeList
{
    /// <summary>Changes after the requested id, oldest first.</summary>
    public required IReadOnlyList<ChangeInfo> Changes { get; set; }

    /// <summary>The id to pass as <c>after</c> next time.</summary>
    public long LastId { get; set; }
}
