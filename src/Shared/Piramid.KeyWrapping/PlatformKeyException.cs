namespace Piramid.KeyWrapping;

/// <summary>The platform key is missing or malformed; the message says what is wrong and how to fix it.</summary>
public sealed class PlatformKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlatformKeyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PlatformKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PlatformKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
