using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;
using Piramid.Terraform.Provider.Resources;

namespace Piramid.Terraform.Provider.DataSources;

/// <summary><c>piramid_plans</c>: every plan with its limits (operator credentials).</summary>
public sealed class PlansDataSource(PiramidProvider provider) : ApiDataSource(provider)
{
    private static readonly TfType PlanType = TfType.Object(
        new[] { "id", "name" }.ToDictionary(n => n, _ => TfType.String)
            .Concat(PlanResource.RequiredLimits.Concat(PlanResource.OptionalLimits).ToDictionary(n => n, _ => TfType.Number))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    /// <inheritdoc />
    public override string TypeName => "piramid_plans";

    /// <inheritdoc />
    public override TfSchema Schema { get; } = new(
        [new TfAttribute("plans", TfType.List(PlanType), TfMode.Computed, "Every plan, by id.")],
        "The platform's plans.");

    /// <inheritdoc />
    protected override async Task<TfValue> ReadAsync(PiramidApi api, TfValue config, DiagnosticList diagnostics, CancellationToken ct)
    {
        var plans = (await api.GetAsync("/v1/plans", ct))?["plans"]?.AsArray() ?? [];
        return TfValue.EmptyObject.With("plans", TfValue.List(plans.Select(p => PlanResource.FromApi(p!))));
    }
}
