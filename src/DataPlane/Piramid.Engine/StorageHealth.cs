namespace Piramid.Engine;

/// <summary>
/// The engine's write gate. A write that cannot be made durable (disk full, fsync error) turns the whole
/// engine read-only: its collections share one disk, and a failed fsync must never be retried into a
/// false success. The maintenance loop reopens the failed logs and clears the gate once the disk takes
/// and syncs a write again.
/// </summary>
public sealed class StorageHealth
{
    private readonly Lock _gate = new();
    private string? _reason;

    /// <summary>True while writes are refused.</summary>
    public bool IsReadOnly => Volatile.Read(ref _reason) is not null;

    /// <summary>Why writes are refused, or null.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>Refuses a write with 507 while the engine is read-only.</summary>
    public void ThrowIfReadOnly()
    {
        if (Reason is { } reason)
        {
            throw EngineException.InsufficientStorage(
                $"The engine is read-only because a write could not be made durable ({ServerPaths.Redact(reason)}). " +
                "Reads still work; writes resume by themselves once storage is available again.");
        }
    }

    /// <summary>Turns the engine read-only.</summary>
    public void MarkFailed(string reason)
    {
        lock (_gate)
        {
            _reason ??= reason;
        }
    }

    /// <summary>Lets writes through again.</summary>
    public void MarkHealthy()
    {
        lock (_gate)
        {
            _reason = null;
        }
    }
}
