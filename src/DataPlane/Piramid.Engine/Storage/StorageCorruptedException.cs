namespace Piramid.Engine.Storage;

/// <summary>
/// Stored data is damaged, was written with another key, or is missing records. The message names the
/// file and the byte offset; the owner fails closed rather than lose data silently.
/// </summary>
public sealed class StorageCorruptedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageCorruptedException()
    {
    }

    /// <summary>Creates the exception with a message naming the file and offset.</summary>
    public StorageCorruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StorageCorruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
