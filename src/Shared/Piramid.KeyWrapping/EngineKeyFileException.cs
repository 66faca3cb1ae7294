namespace Piramid.KeyWrapping;

/// <summary>The engine's key file is missing, unreadable or malformed; the message names the file and the line, never a key.</summary>
public sealed class EngineKeyFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineKeyFileException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EngineKeyFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public EngineKeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
