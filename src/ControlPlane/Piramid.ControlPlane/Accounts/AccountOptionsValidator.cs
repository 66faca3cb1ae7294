using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Accounts;

/// <summary>Checks <see cref="AccountOptions"/> at start, naming the key.</summary>
internal sealed class AccountOptionsValidator : IValidateOptions<AccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.LockoutFailures is < 1 or > 100)
        {
            failures.Add($"{AccountOptions.Section}:{nameof(AccountOptions.LockoutFailures)} must be between 1 and 100.");
        }

        if (options.LockoutDelay <= TimeSpan.Zero || options.LockoutDelay > TimeSpan.FromHours(1))
        {
            failures.Add($"{AccountOptions.Section}:{nameof(AccountOptions.LockoutDelay)} must be more than 0 and at most 1 hour.");
        }

        if (options.LockoutMaxDelay < options.LockoutDelay || options.LockoutMaxDelay > TimeSpan.FromDays(1))
        {
            failures.Add($"{AccountOptions.Section}:{nameof(AccountOptions.LockoutMaxDelay)} must be at least {nameof(AccountOptions.LockoutDelay)} and at most 1 day.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
