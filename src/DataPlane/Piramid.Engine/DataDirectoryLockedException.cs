namespace Piramid.Engine;

/// <summary>The data directory is owned by another running engine.</summary>
public sealed class DataDirectoryLockedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataDirectoryLockedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
