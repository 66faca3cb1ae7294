namespace Piramid.Engine.Metadata;

/// <summary>Types a metadata schema may declare.</summary>
public enum MetadataFieldType
{
    /// <summary>An exact-match string (or array of strings).</summary>
    Keyword,

    /// <summary>Free text (string or array of strings).</summary>
    Text,

    /// <summary>A number without a fractional part.</summary>
    Integer,

    /// <summary>Any finite number.</summary>
    Float,

    /// <summary>true or false.</summary>
    Boolean,
}
