using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>Checks the orchestrator's options at start, naming the configuration key of every problem.</summary>
internal sealed class LocalOrchestratorOptionsValidator : IValidateOptions<LocalOrchestratorOptions>
{
    private static readonly string[] DurabilityPolicies = ["always", "batch", "interval", "none"];

    public ValidateOptionsResult Validate(string? name, LocalOrchestratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string P = LocalOrchestratorOptions.Section + ":";
        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            errors.Add($"'{P}StateDirectory' is required: the directory for the engines' data, secrets and logs.");
        }

        if (string.IsNullOrWhiteSpace(options.EngineBinary))
        {
            errors.Add($"'{P}EngineBinary' is required: the engine executable or Piramid.DataPlane.dll.");
        }
        else if (!File.Exists(options.EngineBinary))
        {
            errors.Add($"'{P}EngineBinary' names '{options.EngineBinary}', which does not exist.");
        }

        if (string.IsNullOrWhiteSpace(options.PlatformKeyFile))
        {
            errors.Add($"'{P}PlatformKeyFile' is required: a file with the base64 of 32 random bytes.");
        }
        else if (!File.Exists(options.PlatformKeyFile))
        {
            errors.Add($"'{P}PlatformKeyFile' names '{options.PlatformKeyFile}', which does not exist.");
        }

        Positive(options.HealthInterval, "HealthInterval", errors);
        Positive(options.RestartBackoffInitial, "RestartBackoffInitial", errors);
        Positive(options.ReadyTimeout, "ReadyTimeout", errors);
        Positive(options.StopTimeout, "StopTimeout", errors);
        Positive(options.HealthyResetAfter, "HealthyResetAfter", errors);
        if (options.RestartBackoffMax < options.RestartBackoffInitial)
        {
            errors.Add($"'{P}RestartBackoffMax' must be at least '{P}RestartBackoffInitial'.");
        }

        if (options.HealthFailureThreshold < 1)
        {
            errors.Add($"'{P}HealthFailureThreshold' must be at least 1.");
        }

        var policy = options.Durability.Split(':', 2)[0];
        if (!DurabilityPolicies.Contains(policy, StringComparer.Ordinal))
        {
            errors.Add($"'{P}Durability' must be always, batch[:window], interval[:period] or none, not '{options.Durability}'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(TimeSpan value, string key, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"'{LocalOrchestratorOptions.Section}:{key}' must be a positive duration (e.g. 00:00:00.500).");
        }
    }
}
