using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Piramid.ControlPlane.Accounts;
using Piramid.ControlPlane.Hosting;

namespace Piramid.ControlPlane.Demo;

/// <summary>
/// <c>Piramid.ControlPlane users --demo-tenant &lt;id&gt;</c> (run by <c>./piramid up</c>): makes sure the local operator
/// (<see cref="OperatorEmail"/>, platform admin) and the demo user (<see cref="DemoEmail"/>, owner of the demo tenant)
/// exist, and prints as JSON the email and a random password of each one it created (nothing for those that exist:
/// passwords are stored only as hashes).
/// </summary>
public static class LocalUsers
{
    /// <summary>The local operator's email.</summary>
    public const string OperatorEmail = "operator@piramid.local";

    /// <summary>The demo user's email.</summary>
    public const string DemoEmail = "demo@piramid.local";

    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var at = Array.IndexOf(args, "--demo-tenant");
        var demoTenant = at >= 0 && at + 1 < args.Length ? args[at + 1] : throw new ArgumentException("--demo-tenant is required");
        var rest = args.Where((_, i) => i != at && i != at + 1).ToArray();
        await using var app = ControlPlaneApp.Build(rest);
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var printed = new Dictionary<string, string>();
        var operatorPassword = NewPassword();
        if (await accounts.CreateUserAsync(OperatorEmail, operatorPassword, platformAdmin: true, ownedTenantId: null, CancellationToken.None) is not null)
        {
            printed["operator_email"] = OperatorEmail;
            printed["operator_password"] = operatorPassword;
        }

        var demoPassword = NewPassword();
        if (await accounts.CreateUserAsync(DemoEmail, demoPassword, platformAdmin: false, ownedTenantId: demoTenant, CancellationToken.None) is not null)
        {
            printed["demo_user_email"] = DemoEmail;
            printed["demo_user_password"] = demoPassword;
        }

        Console.WriteLine(JsonSerializer.Serialize(printed));
        return 0;
    }

    // 144 random bits as 24 URL-safe characters: far from any common password.
    private static string NewPassword() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(18));
}
