using Piramid.Engine;

namespace Piramid.DataPlane.Exports;

/// <summary>An import stopped at <see cref="Line"/>: the batches before the one holding it are applied, nothing after.</summary>
internal sealed class ImportFailedException(EngineErrorKind kind, long line, long appliedPoints, long appliedBatches, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>What kind of failure (a bad line is an invalid argument).</summary>
    public EngineErrorKind Kind { get; } = kind;

    /// <summary>The 1-based line the import stopped at.</summary>
    public long Line { get; } = line;

    /// <summary>Points of the batches applied before it (durable).</summary>
    public long AppliedPoints { get; } = appliedPoints;

    /// <summary>Batches applied before it.</summary>
    public long AppliedBatches { get; } = appliedBatches;
}
