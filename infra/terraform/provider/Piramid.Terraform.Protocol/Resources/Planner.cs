using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;

namespace Piramid.Terraform.Protocol.Resources;

/// <summary>
/// The generic plan rules every resource shares:
/// <list type="bullet">
/// <item>a computed attribute the configuration leaves null is unknown on create (the API decides it) and keeps
/// its prior value on update (Terraform's proposed state already carries it);</item>
/// <item>an attribute marked <see cref="TfAttribute.RequiresReplace"/> (at any depth) whose planned value differs
/// from the prior one forces replacement, and then every computed value not set by the configuration becomes
/// unknown, as the new object gets new ones.</item>
/// </list>
/// </summary>
public static class Planner
{
    /// <summary>Plans a change of <paramref name="resource"/>; returns null planned state for a destroy.</summary>
    public static ResourcePlan Plan(IResource resource, TfValue prior, TfValue proposed, TfValue config, DiagnosticList diagnostics)
    {
        if (proposed.IsNull)
        {
            return new ResourcePlan(prior, config, TfValue.Null);
        }

        var attributes = resource.Schema.Attributes;
        var plan = new ResourcePlan(prior, config, prior.IsNull ? UnknownComputed(attributes, proposed, config) : proposed);
        if (!prior.IsNull)
        {
            CollectReplacements(attributes, prior, plan.Planned, null, plan.RequiresReplace);
            if (plan.IsReplace)
            {
                plan.Planned = UnknownComputed(attributes, plan.Planned, config);
            }
        }

        resource.ModifyPlan(plan, diagnostics);
        return plan;
    }

    /// <summary>Every computed attribute the configuration leaves null becomes unknown; nested objects likewise.</summary>
    public static TfValue UnknownComputed(IReadOnlyList<TfAttribute> attributes, TfValue value, TfValue config)
    {
        if (!value.HasValue)
        {
            return value;
        }

        var result = new Dictionary<string, TfValue>(value.Attributes, StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            var configured = config.HasValue ? config[attribute.Name] : TfValue.Null;
            if (attribute.IsComputed && configured.IsNull)
            {
                result[attribute.Name] = TfValue.Unknown;
            }
            else if (attribute.Nested is { } nested && value[attribute.Name].HasValue)
            {
                result[attribute.Name] = UnknownComputed(nested, value[attribute.Name], configured);
            }
        }

        return TfValue.Object(result);
    }

    private static void CollectReplacements(IReadOnlyList<TfAttribute> attributes, TfValue prior, TfValue planned, AttributePath? parent, List<AttributePath> into)
    {
        foreach (var attribute in attributes)
        {
            var path = parent is null ? AttributePath.Root(attribute.Name) : parent.Attribute(attribute.Name);
            var before = prior[attribute.Name];
            var after = planned[attribute.Name];
            if (after.IsUnknown && !attribute.IsComputed && attribute.RequiresReplace)
            {
                into.Add(path);
            }
            else if (attribute.RequiresReplace && after.HasValue && !before.SetEquals(after))
            {
                into.Add(path);
            }
            else if (attribute.RequiresReplace && after.IsNull && before.HasValue && !attribute.IsComputed)
            {
                into.Add(path);
            }
            else if (attribute.Nested is { } nested && before.HasValue && after.HasValue)
            {
                CollectReplacements(nested, before, after, path, into);
            }
        }
    }
}
