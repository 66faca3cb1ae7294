using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Auditing;

/// <summary>Checks <see cref="RetentionOptions"/> at start, naming the configuration key of every problem.</summary>
internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string P = RetentionOptions.Section + ":";
        var errors = new List<string>();
        Positive(errors, options.Interval, P + "Interval");
        Positive(errors, options.IdempotencyTtl, P + "IdempotencyTtl");
        Positive(errors, options.AuditRetention, P + "AuditRetention");
        Positive(errors, options.TokenRetention, P + "TokenRetention");
        if (options.SinkGrace < TimeSpan.Zero || options.SinkGrace > TimeSpan.FromDays(365))
        {
            errors.Add($"'{P}SinkGrace' must lie between 00:00:00 and 365.00:00:00.");
        }

        if (options.AuthFailurePeriod < TimeSpan.FromMinutes(1) || options.AuthFailurePeriod > TimeSpan.FromDays(1)
            || TimeSpan.FromDays(1).Ticks % options.AuthFailurePeriod.Ticks != 0)
        {
            errors.Add($"'{P}AuthFailurePeriod' must divide a day and lie between 00:01:00 and 1.00:00:00.");
        }

        if (options.AuthFailuresPerPeriod < 1)
        {
            errors.Add($"'{P}AuthFailuresPerPeriod' must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"'{key}' must be a positive duration (e.g. 1.00:00:00 for a day).");
        }
    }
}
