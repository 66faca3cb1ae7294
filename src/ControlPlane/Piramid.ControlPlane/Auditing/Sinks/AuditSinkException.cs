namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>A delivery that the sink refused or could not take; its message is shown as the sink's <c>last_error</c>.</summary>
public sealed class AuditSinkException : Exception
{
    /// <summary>Creates it.</summary>
    public AuditSinkException()
    {
    }

    /// <summary>Creates it with a message.</summary>
    public AuditSinkException(string message) : base(message)
    {
    }

    /// <summary>Creates it with a message and its cause.</summary>
    public AuditSinkException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
