using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Backups;

/// <summary>Checks <see cref="BackupScheduleOptions"/> at start, naming the configuration key.</summary>
internal sealed class BackupScheduleOptionsValidator : IValidateOptions<BackupScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, BackupScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string P = BackupScheduleOptions.Section + ":";
        var errors = new List<string>();
        if (options.ScheduleInterval <= TimeSpan.Zero)
        {
            errors.Add($"'{P}ScheduleInterval' must be a positive duration (e.g. 00:01:00).");
        }

        if (options.ArchiveInterval <= TimeSpan.Zero)
        {
            errors.Add($"'{P}ArchiveInterval' must be a positive duration (e.g. 00:00:10).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
