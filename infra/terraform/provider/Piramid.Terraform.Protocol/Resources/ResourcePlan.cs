using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Values;

namespace Piramid.Terraform.Protocol.Resources;

/// <summary>One resource's plan while it is being made: what was, what the configuration says, what will be.</summary>
public sealed class ResourcePlan(TfValue prior, TfValue config, TfValue planned)
{
    /// <summary>State before the plan (null on create).</summary>
    public TfValue Prior { get; } = prior;

    /// <summary>The configuration (unknowns where it depends on other resources).</summary>
    public TfValue Config { get; } = config;

    /// <summary>The planned state; rules replace it.</summary>
    public TfValue Planned { get; set; } = planned;

    /// <summary>Attributes whose change destroys and re-creates the object.</summary>
    public List<AttributePath> RequiresReplace { get; } = [];

    /// <summary>True when the object does not exist yet.</summary>
    public bool IsCreate => Prior.IsNull;

    /// <summary>True when the object will be replaced.</summary>
    public bool IsReplace => RequiresReplace.Count > 0;
}
