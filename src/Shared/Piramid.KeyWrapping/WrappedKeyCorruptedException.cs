namespace Piramid.KeyWrapping;

/// <summary>A wrapped data key is not in the format, or was damaged or altered; the message names the source and the byte offset.</summary>
public sealed class WrappedKeyCorruptedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WrappedKeyCorruptedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WrappedKeyCorruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WrappedKeyCorruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
