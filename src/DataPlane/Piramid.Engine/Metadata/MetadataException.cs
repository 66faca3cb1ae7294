namespace Piramid.Engine.Metadata;

/// <summary>Metadata or a metadata schema that breaks a rule; the message names the offending JSON path.</summary>
public sealed class MetadataException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public MetadataException()
        : base("metadata: invalid metadata")
    {
    }

    /// <summary>Creates the exception; the message should start with the JSON path of the bad part.</summary>
    public MetadataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the cause.</summary>
    public MetadataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
