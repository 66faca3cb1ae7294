using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;

namespace Piramid.Terraform.Protocol.Resources;

/// <summary>
/// A managed resource type. The protocol layer plans the generic part (computed values unknown on create,
/// <see cref="TfAttribute.RequiresReplace"/> attributes; see <see cref="Planner"/>); the resource adds its own
/// rules in <see cref="ModifyPlan"/> and talks to its API in the rest.
/// </summary>
public interface IResource
{
    /// <summary>The type name, e.g. <c>piramid_tenant</c>.</summary>
    string TypeName { get; }

    /// <summary>Attributes and their modes.</summary>
    TfSchema Schema { get; }

    /// <summary>Checks a configuration (values may be unknown) without calling the API.</summary>
    void Validate(TfValue config, DiagnosticList diagnostics)
    {
    }

    /// <summary>Resource-specific plan rules, after the generic ones.</summary>
    void ModifyPlan(ResourcePlan plan, DiagnosticList diagnostics)
    {
    }

    /// <summary>Creates the object; returns its state, which must agree with every known value of <paramref name="planned"/>.</summary>
    Task<TfValue> CreateAsync(TfValue planned, DiagnosticList diagnostics, CancellationToken cancellationToken);

    /// <summary>Changes the object in place.</summary>
    Task<TfValue> UpdateAsync(TfValue prior, TfValue planned, DiagnosticList diagnostics, CancellationToken cancellationToken);

    /// <summary>Deletes the object. An object already gone is not an error.</summary>
    Task DeleteAsync(TfValue prior, DiagnosticList diagnostics, CancellationToken cancellationToken);

    /// <summary>The object's current state, or null when it no longer exists (Terraform then plans to re-create it).</summary>
    Task<TfValue?> ReadAsync(TfValue state, DiagnosticList diagnostics, CancellationToken cancellationToken);

    /// <summary>The state of an existing object named by an import id, or null (with a diagnostic) when there is none.</summary>
    Task<TfValue?> ImportAsync(string id, DiagnosticList diagnostics, CancellationToken cancellationToken);
}
