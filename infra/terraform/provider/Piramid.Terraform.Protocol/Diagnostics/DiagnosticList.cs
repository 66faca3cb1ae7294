using Wire = Piramid.Terraform.Protocol.Wire;

namespace Piramid.Terraform.Protocol.Diagnostics;

/// <summary>One error or warning for Terraform to show, optionally pointing at an attribute.</summary>
public sealed record TfDiagnostic(bool IsError, string Summary, string Detail, AttributePath? Path);

/// <summary>The diagnostics one call collects; any error fails the call.</summary>
public sealed class DiagnosticList
{
    private readonly List<TfDiagnostic> _items = [];

    /// <summary>Everything added, in order.</summary>
    public IReadOnlyList<TfDiagnostic> Items => _items;

    /// <summary>True when an error was added.</summary>
    public bool HasErrors => _items.Any(d => d.IsError);

    /// <summary>Adds an error.</summary>
    public void Error(string summary, string detail, AttributePath? path = null) => _items.Add(new(true, summary, detail, path));

    /// <summary>Adds a warning.</summary>
    public void Warning(string summary, string detail, AttributePath? path = null) => _items.Add(new(false, summary, detail, path));

    /// <summary>The protocol's form.</summary>
    public IEnumerable<Wire.Diagnostic> ToWire() => _items.Select(d =>
    {
        var wire = new Wire.Diagnostic
        {
            Severity = d.IsError ? Wire.Diagnostic.Types.Severity.Error : Wire.Diagnostic.Types.Severity.Warning,
            Summary = d.Summary,
            Detail = d.Detail,
        };
        if (d.Path is { } path)
        {
            wire.Attribute = path.ToWire();
        }

        return wire;
    });
}
