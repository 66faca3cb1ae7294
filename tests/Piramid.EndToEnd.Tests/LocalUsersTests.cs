using System.Globalization;
using System.Net;
using Piramid.EndToEnd.Tests.Support;
using Piramid.TestKit.Http;

namespace Piramid.EndToEnd.Tests;

/// <summary><c>./piramid up</c> creates a demo user who owns <c>demo</c> and an operator user, and their passwords sign in.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LocalUsersTests(LocalPlatform platform)
{
    [Fact]
    public async Task Up_WritesTheUsersToLocalJson_TheirPasswordsSignInThroughTheGateway_AndTheDemoUserOwnsDemo()
    {
        foreach (var key in new[] { "operator_email", "operator_password", "demo_user_email", "demo_user_password" })
        {
            Assert.False(string.IsNullOrEmpty(platform.Local[key]?.GetValue<string>()), key);
        }

        Assert.Equal("demo@piramid.local", platform.Local["demo_user_email"]!.GetValue<string>());
        foreach (var (email, password) in new[] { ("demo_user_email", "demo_user_password"), ("operator_email", "operator_password") })
        {
            using var browser = new PortalBrowser(platform.Gateway);
            using var wrong = await browser.PostLoginAsync("/account/login?ReturnUrl=%2F", platform.Local[email]!.GetValue<string>(), "not the password at all");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            using var signedIn = await browser.PostLoginAsync("/account/login?ReturnUrl=%2F", platform.Local[email]!.GetValue<string>(), platform.Local[password]!.GetValue<string>());
            Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"{email}: {(int)signedIn.StatusCode} {await signedIn.Content.ReadAsStringAsync()}");
        }

        var port = int.Parse(File.ReadAllText(Path.Combine(platform.State, "run", "postgres.port")).Trim(), CultureInfo.InvariantCulture);
        var passFile = Path.Combine(platform.State, "keys", "pgpass");
        var roles = await Psql.RunAsync(port, "piramid", "piramid", passFile,
            "SELECT string_agg(u.email || ':' || CASE WHEN u.platform_admin THEN 'operator' ELSE 'user' END || ':' || coalesce(m.role, '-') || ':' || coalesce(t.name, '-'), ',' ORDER BY u.email) "
            + "FROM users u LEFT JOIN tenant_members m ON m.user_id = u.id LEFT JOIN tenants t ON t.id = m.tenant_id");
        Assert.Equal("demo@piramid.local:user:owner:demo,operator@piramid.local:operator:-:-", roles.StandardOutput);
    }
}
