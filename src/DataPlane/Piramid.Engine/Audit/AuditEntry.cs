namespace Piramid.Engine.Audit;

/// <summary>One audit log entry.</summary>
/// <param name="Sequence">Position in the log, contiguous from 1 across segments.</param>
/// <param name="Time">When it was appended (UTC).</param>
/// <param name="Principal">Who acted.</param>
/// <param name="Operation">What was done.</param>
/// <param name="Collection">The collection acted on, if any.</param>
/// <param name="Outcome">The result (for example <c>ok</c>, <c>denied</c>).</param>
/// <param name="RequestId">Correlating request id, if any.</param>
/// <param name="Lsn">The write's log sequence number in the collection's WAL, when it wrote one (format 2).</param>
/// <param name="Points">How many points it wrote or deleted, when it did (format 2).</param>
public sealed record AuditEntry(
    long Sequence, DateTimeOffset Time, string Principal, string Operation, string? Collection, string Outcome, string? RequestId,
    long? Lsn = null, long? Points = null);
