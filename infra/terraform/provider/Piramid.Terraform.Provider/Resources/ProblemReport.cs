using System.Text.RegularExpressions;
using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Provider.Api;

namespace Piramid.Terraform.Provider.Resources;

/// <summary>Turns an API problem into a diagnostic: the problem's title and detail, at the attribute it names.</summary>
public static partial class ProblemReport
{
    /// <summary>Adds the diagnostic for <paramref name="problem"/>, raised while doing <paramref name="action"/>.</summary>
    public static void Add(DiagnosticList diagnostics, ApiProblemException problem, TfSchema schema, string action) =>
        diagnostics.Error($"{action}: {problem.Title}", problem.Detail, PathOf(problem.Detail, schema));

    /// <summary>
    /// The attribute a problem's detail names. Piramid's details quote the field they are about (<c>'index.ef'
    /// must be ...</c>); the first quoted name that is an attribute of the schema (at any depth) is the path.
    /// </summary>
    public static AttributePath? PathOf(string detail, TfSchema schema)
    {
        foreach (Match match in QuotedName().Matches(detail))
        {
            var parts = match.Groups[1].Value.Split('.');
            var attribute = schema.Find(parts[0]);
            if (attribute is null)
            {
                continue;
            }

            var path = AttributePath.Root(attribute.Name);
            var nested = attribute.Nested;
            for (var i = 1; i < parts.Length && nested?.FirstOrDefault(a => a.Name == parts[i]) is { } inner; i++)
            {
                path = path.Attribute(inner.Name);
                nested = inner.Nested;
            }

            return path;
        }

        return null;
    }

    [GeneratedRegex(@"'([a-z_][a-z0-9_.]*)'")]
    private static partial Regex QuotedName();
}
