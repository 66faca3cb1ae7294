using Piramid.Terraform.Protocol.Values;

namespace Piramid.Terraform.Protocol.Schema;

/// <summary>How an attribute is set: by the user, by the provider, or either.</summary>
public enum TfMode
{
    /// <summary>The configuration must set it.</summary>
    Required,

    /// <summary>The configuration may set it; null otherwise.</summary>
    Optional,

    /// <summary>The configuration may set it; the provider fills it in otherwise.</summary>
    OptionalComputed,

    /// <summary>Only the provider sets it.</summary>
    Computed,
}

/// <summary>
/// One attribute of a schema: a primitive or collection <see cref="Type"/>, or a single nested object
/// (<see cref="Nested"/>) whose attributes have their own modes.
/// </summary>
public sealed class TfAttribute
{
    /// <summary>A typed attribute.</summary>
    public TfAttribute(string name, TfType type, TfMode mode, string description)
    {
        Name = name;
        Type = type;
        Mode = mode;
        Description = description;
    }

    /// <summary>A single nested object attribute (<c>index = { ... }</c>).</summary>
    public TfAttribute(string name, IReadOnlyList<TfAttribute> nested, TfMode mode, string description)
    {
        Name = name;
        Nested = nested;
        Type = TfType.Object(nested.ToDictionary(a => a.Name, a => a.Type, StringComparer.Ordinal));
        Mode = mode;
        Description = description;
    }

    /// <summary>Attribute name.</summary>
    public string Name { get; }

    /// <summary>The value's type (for a nested object, the object type of its attributes).</summary>
    public TfType Type { get; }

    /// <summary>The attributes of a single nested object, or null.</summary>
    public IReadOnlyList<TfAttribute>? Nested { get; }

    /// <summary>Who sets it.</summary>
    public TfMode Mode { get; }

    /// <summary>Shown in docs and by language servers.</summary>
    public string Description { get; }

    /// <summary>Hidden in plan output and logs.</summary>
    public bool Sensitive { get; init; }

    /// <summary>A change of the value destroys and re-creates the object.</summary>
    public bool RequiresReplace { get; init; }

    /// <summary>True when the provider may fill it in.</summary>
    public bool IsComputed => Mode is TfMode.Computed or TfMode.OptionalComputed;
}
