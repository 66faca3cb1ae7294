using Microsoft.Extensions.Options;
using Piramid.Contracts.Names;

namespace Piramid.ControlPlane.Tenants;

/// <summary>Checks <see cref="TenantOptions"/> at start, naming the configuration key of every problem.</summary>
internal sealed class TenantOptionsValidator : IValidateOptions<TenantOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string P = TenantOptions.Section + ":";
        var errors = new List<string>();
        // Zero purges a deleted tenant at the next sweep; a negative value would look like a typo for days.
        if (options.DeletedRetention < TimeSpan.Zero)
        {
            errors.Add($"'{P}DeletedRetention' must be zero or a positive duration (e.g. 7.00:00:00 for a week), not {options.DeletedRetention}.");
        }

        if (!NameRules.PlanId.IsValid(options.DefaultPlan))
        {
            errors.Add($"'{P}DefaultPlan' must be a {NameRules.PlanId.Kind}: {NameRules.PlanId.Description}; not '{options.DefaultPlan}'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
