using Wire = Piramid.Terraform.Protocol.Wire;

namespace Piramid.Terraform.Protocol.Diagnostics;

/// <summary>Where in a value a diagnostic points: attribute names and element keys, outermost first.</summary>
public sealed class AttributePath
{
    private readonly IReadOnlyList<object> _steps;

    private AttributePath(IReadOnlyList<object> steps) => _steps = steps;

    /// <summary>The path of a top-level attribute.</summary>
    public static AttributePath Root(string attribute) => new([attribute]);

    /// <summary>This path, then an attribute of the object there.</summary>
    public AttributePath Attribute(string name) => new([.. _steps, name]);

    /// <summary>This path, then a map element.</summary>
    public AttributePath Key(string key) => new([.. _steps, new MapKey(key)]);

    /// <summary>This path, then a list element.</summary>
    public AttributePath Index(long index) => new([.. _steps, index]);

    /// <summary>The protocol's form.</summary>
    public Wire.AttributePath ToWire()
    {
        var path = new Wire.AttributePath();
        foreach (var step in _steps)
        {
            path.Steps.Add(step switch
            {
                string name => new Wire.AttributePath.Types.Step { AttributeName = name },
                MapKey key => new Wire.AttributePath.Types.Step { ElementKeyString = key.Value },
                _ => new Wire.AttributePath.Types.Step { ElementKeyInt = (long)step },
            });
        }

        return path;
    }

    /// <inheritdoc />
    public override string ToString() => string.Concat(_steps.Select((s, i) => s switch
    {
        string name => i == 0 ? name : "." + name,
        MapKey key => "[\"" + key.Value + "\"]",
        _ => "[" + s + "]",
    }));

    private sealed record MapKey(string Value);
}
