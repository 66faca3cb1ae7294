namespace Piramid.Engine.Metadata;

/// <summary>The declared type of a metadata field in a collection's schema.</summary>
public enum MetadataFieldType
{
    /// <summary>A string or an array of strings matched exactly ("keyword").</summary>
    Keyword,

    /// <summary>A string or an array of strings of free text ("text").</summary>
    Text,

    /// <summary>A number with no fractional part ("integer").</summary>
    Integer,

    /// <summary>Any finite number ("float").</summary>
    Float,

    /// <summary>true or false ("boolean").</summary>
    Boolean,
}
