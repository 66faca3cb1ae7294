namespace Piramid.Engine.Audit;

/// <summary>Result of <see cref="AuditVerifier.Verify"/>.</summary>
/// <param name="IsValid">True when every entry is present, unmodified and in order.</param>
/// <param name="EntriesChecked">Entries that verified before the first problem.</param>
/// <param name="FirstBadSequence">Position (expected sequence) of the first bad entry, or null.</param>
/// <param name="Problem">What is wrong there, or null.</param>
public sealed record AuditVerification(bool IsValid, long EntriesChecked, long? FirstBadSequence, string? Problem);
