namespace Piramid.Engine.Storage;

/// <summary>
/// A write or fsync failed (disk full, I/O error). Nothing at or after the failed point is durable, and
/// the log refuses appends until <see cref="WriteAheadLog.TryRecover"/> succeeds.
/// </summary>
public sealed class StorageFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the I/O error that caused it.</summary>
    public StorageFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
