namespace Piramid.Audit.Cli;

/// <summary>The outcome of <see cref="ExportVerifier.Verify"/>.</summary>
/// <param name="IsValid">True when the chain and every anchor hold.</param>
/// <param name="FirstBadSeq">The sequence of the first bad (or first missing) engine entry, or null.</param>
/// <param name="Line">The export line where it shows, or null.</param>
/// <param name="Problem">What is wrong, or null.</param>
/// <param name="Summary">What was checked.</param>
public sealed record ExportVerification(bool IsValid, long? FirstBadSeq, int? Line, string? Problem, string Summary);
