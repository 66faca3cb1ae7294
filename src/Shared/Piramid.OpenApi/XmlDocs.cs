using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Piramid.OpenApi;

/// <summary>
/// The XML documentation of an assembly (its <c>.xml</c> file beside the <c>.dll</c>), read as plain text for
/// OpenAPI descriptions: <c>&lt;c&gt;x&lt;/c&gt;</c> becomes <c>`x`</c>, and a <c>&lt;see cref&gt;</c> to a constant
/// becomes its value, so "1 to <c>Limits.MaxTopK</c>" reads "1 to 10000".
/// </summary>
internal sealed class XmlDocs
{
    private readonly Dictionary<string, XElement> _members;
    private readonly Assembly _assembly;

    private XmlDocs(Assembly assembly, Dictionary<string, XElement> members)
    {
        _assembly = assembly;
        _members = members;
    }

    /// <summary>Loads the documentation of <paramref name="assembly"/>; fails when the file is missing (GenerateDocumentationFile off).</summary>
    public static XmlDocs Load(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: {assembly.GetName().Name} must set GenerateDocumentationFile.");
        }

        var members = XDocument.Load(path).Descendants("member")
            .ToDictionary(m => (string)m.Attribute("name")!, StringComparer.Ordinal);
        return new XmlDocs(assembly, members);
    }

    /// <summary>The summary of a type, or null.</summary>
    public string? Summary(Type type) => Text(Member("T:", type)?.Element("summary"));

    /// <summary>The <c>&lt;example&gt;</c> of a type (JSON), or null.</summary>
    public string? Example(Type type) => Member("T:", type)?.Element("example")?.Value.Trim();

    /// <summary>
    /// The summary of a property, or for a positional record's property the <c>&lt;param&gt;</c> of its type.
    /// </summary>
    public string? Summary(PropertyInfo property)
    {
        var type = property.DeclaringType!;
        var own = Text(Member("P:", type, "." + property.Name)?.Element("summary"));
        return own ?? Text(Member("T:", type)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == property.Name));
    }

    private XElement? Member(string prefix, Type type, string suffix = "") =>
        _members.GetValueOrDefault(prefix + type.FullName!.Replace('+', '.') + suffix);

    private string? Text(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "c" or "paramref" or "typeparamref" } e => "`" + (e.Attribute("name")?.Value ?? e.Value) + "`",
                XElement { Name.LocalName: "see" } e => Reference((string?)e.Attribute("cref") ?? (string?)e.Attribute("langword") ?? e.Value),
                XElement e => e.Value,
                _ => string.Empty,
            });
        }

        // XML doc comments wrap lines; a description is one paragraph.
        return string.Join(' ', text.ToString().Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
    }

    // "F:Piramid.Contracts.Limits.MaxTopK" is the constant's value; any other reference its short name.
    private string Reference(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var dot = name.LastIndexOf('.');
        if (cref.StartsWith("F:", StringComparison.Ordinal) && dot > 0
            && _assembly.GetType(name[..dot])?.GetField(name[(dot + 1)..], BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field)
        {
            return Convert.ToString(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)!;
        }

        return dot >= 0 ? name[(dot + 1)..] : name;
    }
}
