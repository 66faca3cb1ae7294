using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Accounts;

/// <summary>Registration of people's accounts (needs <c>AddControlPlaneIdentity</c> for the token managers and keys).</summary>
public static class AccountsExtensions
{
    /// <summary>Adds <see cref="UserAccounts"/> and its parts, with <see cref="AccountOptions"/> validated at start.</summary>
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<AccountOptions>, AccountOptionsValidator>();
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<UserPasswords>();
        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddScoped<UserTokens>();
        builder.Services.AddScoped<UserAccounts>();
        return builder;
    }
}
