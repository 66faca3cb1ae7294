using Google.Protobuf;
using Piramid.Terraform.Protocol.Values;
using Wire = Piramid.Terraform.Protocol.Wire;

namespace Piramid.Terraform.Protocol.Schema;

/// <summary>The schema of a provider configuration, a resource or a data source: one block of attributes.</summary>
public sealed class TfSchema(IReadOnlyList<TfAttribute> attributes, string description, long version = 0)
{
    /// <summary>The attributes.</summary>
    public IReadOnlyList<TfAttribute> Attributes { get; } = attributes;

    /// <summary>Shown in docs.</summary>
    public string Description { get; } = description;

    /// <summary>Version of the state layout (UpgradeResourceState).</summary>
    public long Version { get; } = version;

    /// <summary>The object type that values of this schema have.</summary>
    public TfType ObjectType { get; } = TfType.Object(attributes.ToDictionary(a => a.Name, a => a.Type, StringComparer.Ordinal));

    /// <summary>The attribute named so, or null.</summary>
    public TfAttribute? Find(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    /// <summary>The protocol's form.</summary>
    public Wire.Schema ToWire()
    {
        var block = new Wire.Schema.Types.Block { Version = Version, Description = Description };
        block.Attributes.AddRange(Attributes.Select(ToWire));
        return new Wire.Schema { Version = Version, Block = block };
    }

    private static Wire.Schema.Types.Attribute ToWire(TfAttribute attribute)
    {
        var wire = new Wire.Schema.Types.Attribute
        {
            Name = attribute.Name,
            Description = attribute.Description,
            Required = attribute.Mode == TfMode.Required,
            Optional = attribute.Mode is TfMode.Optional or TfMode.OptionalComputed,
            Computed = attribute.IsComputed,
            Sensitive = attribute.Sensitive,
        };
        if (attribute.Nested is { } nested)
        {
            wire.NestedType = new Wire.Schema.Types.Object { Nesting = Wire.Schema.Types.Object.Types.NestingMode.Single };
            wire.NestedType.Attributes.AddRange(nested.Select(ToWire));
        }
        else
        {
            wire.Type = ByteString.CopyFrom(attribute.Type.ToJsonBytes());
        }

        return wire;
    }
}
