namespace Piramid.Contracts.Backups;

/// <summary>Body of <c>POST /internal/v1/restores/{id}/apply</c>.</summary>
/// <example>{"collections": ["docs"], "rename": {"docs": "docs-restored"}, "target": {"at": "2026-12-06T09:30:00Z"}}</example>
public sealed class RestoreApplyRequest
{
    /// <summary>Staged collection names to restore; absent = every staged collection.</summary>
    public IReadOnlyList<string>? Collections { get; set; }

    /// <summary>Staged name to new name; a renamed collection is created beside the live one. Absent = in place.</summary>
    public IReadOnlyDictionary<string, string>? Rename { get; set; }

    /// <summary>Point in time; absent or null = everything staged.</summary>
    public RestoreTarget? Target { get; set; }
}
