namespace Piramid.Contracts.Auditing;

/// <summary>Answer of the engine's <c>GET /internal/v1/audit?after=&lt;seq&gt;&amp;limit=&lt;n&gt;</c>.</summary>
/// <param name="Entries">Entries after <c>after</c>, in sequence order.</param>
/// <param name="Head">The log's newest entry when the page was read (sequence 0 and a zero hash when empty).</param>
/// <param name="NextAfter">Pass as <c>after</c> for the next page; null when this page reaches the head.</param>
public sealed record EngineAuditPage(IReadOnlyList<EngineAuditEntry> Entries, AuditHead Head, long? NextAfter);
