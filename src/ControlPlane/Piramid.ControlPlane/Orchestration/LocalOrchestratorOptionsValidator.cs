using Microsoft.Extensions.Options;
using Piramid.Contracts.Durability;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>Checks the orchestrator's options at start, naming the configuration key of every problem.</summary>
internal sealed class LocalOrchestratorOptionsValidator : IValidateOptions<LocalOrchestratorOptions>
{
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
        else if (EngineCpuRequirement.Missing(options.EngineBinary) is { Count: > 0 } missing)
        {
            errors.Add($"'{P}EngineBinary' is a Native AOT engine compiled for {EngineCpuRequirement.InstructionSet}, and this CPU lacks {string.Join(", ", missing)}: every engine would abort at start. Run the engine as Piramid.DataPlane.dll, or publish it with -p:IlcInstructionSet=x86-64-v2.");
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
        if (options.HibernationGrace < TimeSpan.Zero || options.HibernationGrace > TimeSpan.FromMinutes(5))
        {
            errors.Add($"'{P}HibernationGrace' must be between 0 and 00:05:00.");
        }
        if (options.MinHibernateAfter < TimeSpan.FromSeconds(1) || options.MinHibernateAfter > TimeSpan.FromDays(1))
        {
            errors.Add($"'{P}MinHibernateAfter' must be between 00:00:01 and 1.00:00:00.");
        }

        Positive(options.HealthyResetAfter, "HealthyResetAfter", errors);
        if (options.RestartBackoffMax < options.RestartBackoffInitial)
        {
            errors.Add($"'{P}RestartBackoffMax' must be at least '{P}RestartBackoffInitial'.");
        }

        if (options.HealthFailureThreshold < 1)
        {
            errors.Add($"'{P}HealthFailureThreshold' must be at least 1.");
        }

        ValidateEngineUsers(options, errors);
        // The engine parses the same grammar: a setting accepted here starts every engine.
        if (!DurabilitySetting.TryParse(options.Durability, out _, out var durabilityError))
        {
            errors.Add($"'{P}Durability': {durabilityError}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // Per-tenant uids need root, a range free of real accounts, and an engine binary and state directory that
    // another uid can reach; otherwise every engine would crash-loop on "permission denied".
    private static void ValidateEngineUsers(LocalOrchestratorOptions options, List<string> errors)
    {
        const string P = LocalOrchestratorOptions.Section + ":";
        if (options.EngineUsers == EngineUserMode.On && !EngineAccounts.RunningAsRoot)
        {
            errors.Add($"'{P}EngineUsers' is On, but the control plane does not run as root and cannot switch engines to other uids. Run it as root or set it to Off.");
            return;
        }

        if (!options.UsesEngineUsers)
        {
            return;
        }

        if (options.EngineUidStart < 1000 || options.EngineUidCount < 1 || (long)options.EngineUidStart + options.EngineUidCount > int.MaxValue)
        {
            errors.Add($"'{P}EngineUidStart' and '{P}EngineUidCount' must give a range of uids from 1000 up to {int.MaxValue}.");
            return;
        }

        if (EngineAccounts.AccountsInRange(options.EngineUidStart, options.EngineUidCount) is { Count: > 0 } taken)
        {
            errors.Add($"'{P}EngineUidStart' and '{P}EngineUidCount' overlap accounts of /etc/passwd ({string.Join(", ", taken.Take(3))}); choose a free range.");
        }

        const string Hint = $"Engines run as per-tenant uids ('{P}EngineUsers'): put it below a directory every user can traverse (./piramid up uses /var/lib/piramid), or set '{P}EngineUsers' to Off.";
        if (!string.IsNullOrWhiteSpace(options.StateDirectory) && EngineAccounts.FirstUntraversable(options.StateDirectory) is { } state)
        {
            errors.Add($"'{P}StateDirectory' ('{options.StateDirectory}') is not reachable by another uid: '{state.Directory}' has mode {EngineAccounts.Octal(state.Mode)}. {Hint}");
        }

        if (File.Exists(options.EngineBinary) && !OperatingSystem.IsWindows())
        {
            var needed = options.EngineBinary.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? UnixFileMode.OtherRead : UnixFileMode.OtherExecute;
            if (EngineAccounts.FirstUntraversable(options.EngineBinary) is { } above)
            {
                errors.Add($"'{P}EngineBinary' ('{options.EngineBinary}') is not reachable by another uid: '{above.Directory}' has mode {EngineAccounts.Octal(above.Mode)}. {Hint}");
            }
            else if ((File.GetUnixFileMode(options.EngineBinary) & needed) == 0)
            {
                errors.Add($"'{P}EngineBinary' ('{options.EngineBinary}') has mode {EngineAccounts.Octal(File.GetUnixFileMode(options.EngineBinary))}: other users cannot run it. {Hint}");
            }
        }

        if (File.Exists(options.PlatformKeyFile) && !OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(options.PlatformKeyFile) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            errors.Add($"'{P}PlatformKeyFile' ('{options.PlatformKeyFile}') is readable by other users (mode {EngineAccounts.Octal(File.GetUnixFileMode(options.PlatformKeyFile))}): chmod 600 it, so that no engine can read it.");
        }
    }

    private static void Positive(TimeSpan value, string key, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"'{LocalOrchestratorOptions.Section}:{key}' must be a positive duration (e.g. 00:00:00.500).");
        }
    }
}
