namespace Piramid.KeyWrapping;

/// <summary>The platform key differs from the one that wrapped a data directory's data key.</summary>
public sealed class WrongPlatformKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WrongPlatformKeyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WrongPlatformKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WrongPlatformKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
