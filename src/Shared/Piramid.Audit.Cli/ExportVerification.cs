namespace Piramid.Audit.Cli;

/// <summary>The outcome of <see cref="ExportVerifier.Verify"/>.</summary>
/// <param name="IsValid">True when the chain and every anchor hold.</param>
/// <param name="FirstBadSeq">The sequence of the first bad (or first missing) entry of <paramref name="Source"/>, or null.</param>
/// <param name="Line">The export line where it shows, or null.</param>
/// <param name="Problem">What is wrong, or null.</param>
/// <param name="Summary">What was checked.</param>
/// <param name="Source">Which chain <see cref="FirstBadSeq"/> counts in: <c>data</c> (the engine's) or <c>control</c> (the control plane's).</param>
public sealed record ExportVerification(bool IsValid, long? FirstBadSeq, int? Line, string? Problem, string Summary, string Source = "data");
