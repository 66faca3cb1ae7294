namespace Piramid.Contracts.Backups;

/// <summary>Body of <c>POST /v1/tenants/{id}/backups</c> (optional).</summary>
/// <example>{"collections": ["docs"]}</example>
public sealed class BackupCreateRequest
{
    /// <summary>Collections to back up; absent = every collection.</summary>
    public IReadOnlyList<string>? Collections { get; set; }
}
