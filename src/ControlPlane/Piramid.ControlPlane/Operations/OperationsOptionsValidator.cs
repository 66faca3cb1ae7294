using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Operations;

/// <summary>Checks <see cref="OperationsOptions"/> at start, naming the configuration key of every problem.</summary>
internal sealed class OperationsOptionsValidator : IValidateOptions<OperationsOptions>
{
    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string P = OperationsOptions.Section + ":";
        var errors = new List<string>();
        Positive(errors, options.PollInterval, P + "PollInterval");
        Positive(errors, options.HeartbeatInterval, P + "HeartbeatInterval");
        Positive(errors, options.ProgressInterval, P + "ProgressInterval");
        if (options.StaleAfter < 2 * options.HeartbeatInterval)
        {
            errors.Add($"'{P}StaleAfter' must be at least twice '{P}HeartbeatInterval', or live operations would be taken for dead ones.");
        }

        if (options.MaxConcurrent is < 1 or > 64)
        {
            errors.Add($"'{P}MaxConcurrent' must be between 1 and 64.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"'{key}' must be a positive duration (e.g. 00:00:05 for five seconds).");
        }
    }
}
