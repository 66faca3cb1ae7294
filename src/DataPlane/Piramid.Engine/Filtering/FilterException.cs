namespace Piramid.Engine.Filtering;

/// <summary>A filter that cannot be compiled; the message names the offending part by its JSON path.</summary>
public sealed class FilterException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public FilterException()
        : base("filter: invalid filter")
    {
    }

    /// <summary>Creates the exception; the message should start with the JSON path of the bad part.</summary>
    public FilterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the cause.</summary>
    public FilterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
