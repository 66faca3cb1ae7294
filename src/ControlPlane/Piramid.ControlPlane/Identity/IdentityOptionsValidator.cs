using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Identity;

/// <summary>Checks <see cref="IdentityOptions"/> at start, naming the configuration key at fault.</summary>
internal sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityOptions options)
    {
        var failures = new List<string>();
        if (options.Issuer is not { IsAbsoluteUri: true } issuer || (issuer.Scheme != Uri.UriSchemeHttps && issuer.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{IdentityOptions.Section}:{nameof(IdentityOptions.Issuer)} must be an absolute http(s) URL.");
        }
        else if (issuer.Scheme == Uri.UriSchemeHttp && !issuer.IsLoopback)
        {
            // Tokens and client secrets would cross the network in clear.
            failures.Add($"{IdentityOptions.Section}:{nameof(IdentityOptions.Issuer)} must use https unless it is a loopback address.");
        }

        if (string.IsNullOrWhiteSpace(options.SigningKeyFile))
        {
            failures.Add($"{IdentityOptions.Section}:{nameof(IdentityOptions.SigningKeyFile)} is required (the persisted key file).");
        }

        if (options.AccessTokenLifetime <= TimeSpan.Zero || options.AccessTokenLifetime > TimeSpan.FromHours(24))
        {
            failures.Add($"{IdentityOptions.Section}:{nameof(IdentityOptions.AccessTokenLifetime)} must be between 00:00:01 and 24:00:00.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{IdentityOptions.Section}:{nameof(IdentityOptions.Audience)} must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
