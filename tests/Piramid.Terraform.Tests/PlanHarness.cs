using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Resources;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider;

namespace Piramid.Terraform.Tests;

/// <summary>
/// Plans a resource the way Terraform asks for it: the proposed new state is the configuration with each computed
/// attribute the configuration leaves null taken from the prior state (Terraform's objchange.ProposedNew, nested
/// single objects included). No API is called by planning.
/// </summary>
public static class PlanHarness
{
    private static readonly PiramidProvider Provider = new(_ => null, new HttpClient(), TimeProvider.System);

    /// <summary>The resource of a type.</summary>
    public static IResource Resource(string typeName) => Provider.Resources.Single(r => r.TypeName == typeName);

    /// <summary>Plans <paramref name="config"/> over <paramref name="prior"/> (null: create).</summary>
    public static ResourcePlan Plan(string typeName, TfValue prior, TfValue config)
    {
        var resource = Resource(typeName);
        var full = Fill(resource.Schema.Attributes, config);
        var proposed = prior.IsNull ? full : Proposed(resource.Schema.Attributes, prior, full);
        var diagnostics = new DiagnosticList();
        var plan = Planner.Plan(resource, prior, proposed, full, diagnostics);
        Assert.False(diagnostics.HasErrors, string.Join("; ", diagnostics.Items.Select(d => d.Detail)));
        return plan;
    }

    /// <summary>An object value from name/value pairs.</summary>
    public static TfValue Obj(params (string Name, TfValue Value)[] attributes) =>
        TfValue.Object(attributes.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal));

    /// <summary>A string.</summary>
    public static TfValue S(string value) => TfValue.String(value);

    /// <summary>A number.</summary>
    public static TfValue N(double value) => TfValue.Number(value);

    /// <summary>A set of strings.</summary>
    public static TfValue Set(params string[] values) => TfValue.List(values.Select(TfValue.String));

    /// <summary>The paths that force replacement, as text.</summary>
    public static string[] Replaced(ResourcePlan plan) => [.. plan.RequiresReplace.Select(p => p.ToString()).Order(StringComparer.Ordinal)];

    private static TfValue Fill(IReadOnlyList<TfAttribute> attributes, TfValue config) =>
        TfValue.Object(attributes.ToDictionary(
            a => a.Name,
            a => a.Nested is { } nested && config[a.Name].HasValue ? Fill(nested, config[a.Name]) : config[a.Name],
            StringComparer.Ordinal));

    private static TfValue Proposed(IReadOnlyList<TfAttribute> attributes, TfValue prior, TfValue config) =>
        TfValue.Object(attributes.ToDictionary(
            a => a.Name,
            a =>
            {
                var configured = config[a.Name];
                if (a.IsComputed && configured.IsNull)
                {
                    return prior[a.Name];
                }

                return a.Nested is { } nested && configured.HasValue && prior[a.Name].HasValue
                    ? Proposed(nested, prior[a.Name], configured)
                    : configured;
            },
            StringComparer.Ordinal));
}
