namespace Piramid.Contracts.Auditing;

/// <summary>
/// An anchor line of the NDJSON audit export, <c>{"anchor":{...}}</c>: the export's other lines are events (they carry
/// <c>source</c>), so a reader tells them apart by this one member.
/// </summary>
/// <param name="Anchor">The anchor.</param>
public sealed record AuditExportAnchorLine(AuditAnchor Anchor);
