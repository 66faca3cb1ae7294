namespace Piramid.DataPlane.Api;

/// <summary>Marks an endpoint as a mutation to audit, under a stable operation name.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class MutationAttribute(string operation) : Attribute
{
    /// <summary>Operation name in the audit log, e.g. <c>points.upsert</c>.</summary>
    public string Operation { get; } = operation;
}
