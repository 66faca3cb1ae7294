using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.ControlPlane.Accounts;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.AccountsTests;

namespace Piramid.Gateway.Tests;

/// <summary>Sign-up refusals and limits, lockout, password change and TOTP, through the real gateway.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AccountSecurityTests(PostgresFixture postgres)
{
    [Fact]
    public async Task SignUp_WeakPasswordOrBadField_Is400NamingWhy_TakenEmailInAnyCase_Is409_AndNothingIsHalfWritten()
    {
        // Many refusals from one address: a budget large enough that the sign-up limit stays out of the way.
        await using var platform = await AccountsTests.StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:SignUpBurst"] = "100" });
        await SignUpAsync(platform, "taken@example.com", "first-org");
        var users = await CountAsync(platform, db => db.Users);
        var tenants = await CountAsync(platform, db => db.Tenants);

        (object Body, string Field, string Why)[] refused =
        [
            (new { email = "a@example.com", password = "short1!", organization = "o1" }, "'password'", "at least 10"),
            (new { email = "a@example.com", password = new string('x', 129) + "yz1", organization = "o1" }, "'password'", "at most 128"),
            (new { email = "a@example.com", password = "1234567890", organization = "o1" }, "'password'", "most common"),
            (new { email = "a@example.com", password = "PASSWORD1234567", organization = "o1" }, "'password'", "most common"),
            (new { email = "a@example.com", password = "Dragon2024!!", organization = "o1" }, "'password'", "most common"),
            (new { email = "a@example.com", password = "ababababababab", organization = "o1" }, "'password'", "4 different"),
            (new { email = "someone.long@example.com", password = "Someone.Long@example.com", organization = "o1" }, "'password'", "email"),
            (new { email = "not-an-email", password = Password, organization = "o1" }, "'email'", "name@domain"),
            (new { email = "a b@example.com", password = Password, organization = "o1" }, "'email'", "spaces"),
            (new { email = "a@example.com", password = Password, organization = "Bad Name" }, "'organization'", "lower-case"),
            (new { password = Password, organization = "o1" }, "'email'", "required"),
        ];
        using var anonymous = platform.Client(null);
        foreach (var (body, field, why) in refused)
        {
            using var response = await anonymous.PostAsJsonAsync("/v1/signup", body);
            var problem = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{System.Text.Json.JsonSerializer.Serialize(body)} -> {(int)response.StatusCode} {problem}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(field, problem, StringComparison.Ordinal);
            Assert.Contains(why, problem, StringComparison.Ordinal);
        }

        foreach (var email in new[] { "taken@example.com", "TAKEN@Example.com", " taken@example.com\t" })
        {
            using var taken = await anonymous.PostAsJsonAsync("/v1/signup", new { email, password = Password, organization = "second-org" });
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        }

        // An organization name that is taken: 409, and the user is not created without their tenant.
        using (var orgTaken = await anonymous.PostAsJsonAsync("/v1/signup", new { email = "new@example.com", password = Password, organization = "first-org" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, orgTaken.StatusCode);
        }

        Assert.Equal(users, await CountAsync(platform, db => db.Users));
        Assert.Equal(tenants, await CountAsync(platform, db => db.Tenants));
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Piramid.ControlPlane.Data.ControlPlaneDbContext>();
        var trail = db.AuditEvents.Select(e => new { e.Action, e.After }).ToList();
        Assert.Contains(trail, e => e.Action == "user.signup" && e.After!.Contains("taken@example.com", StringComparison.Ordinal));
        Assert.DoesNotContain(trail, e => e.After != null && e.After.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignUpFlood_FromOneAddress_Gets429WithRetryAfter_BeforeReachingTheControlPlane()
    {
        const int Burst = 3;
        await using var platform = await AccountsTests.StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:SignUpBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Gateway:SignUpPerHour"] = "1" });
        using var anonymous = platform.Client(null);
        for (var i = 0; i < Burst; i++)
        {
            // Refused by the control plane (weak password), but each one costs a token of the address's budget.
            using var weak = await anonymous.PostAsJsonAsync("/v1/signup", new { email = $"u{i}@example.com", password = "x", organization = $"o{i}" });
            Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        }

        using var limited = await anonymous.PostAsJsonAsync("/v1/signup", new { email = "late@example.com", password = Password, organization = "late" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("sign-ups", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(platform, db => db.Users.Where(u => u.Email == "late@example.com")));
    }

    [Fact]
    public async Task FailedSignIns_LockTheAccount_AndEveryFailureReadsTheSame()
    {
        await using var platform = await AccountsTests.StartAsync(postgres);
        await SignUpAsync(platform, "locked@example.com", "locked-org");
        using var browser = new PortalBrowser(platform.GatewayAddress);
        var (_, challenge) = PortalBrowser.NewPkce();
        var login = await browser.StartAsync(challenge, "s");

        async Task<(HttpStatusCode, string)> AttemptAsync(string email, string password)
        {
            using var response = await browser.PostLoginAsync(login, email, password);
            var html = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, response.StatusCode == HttpStatusCode.Redirect ? "redirect" : Alert(html));
        }

        var unknown = await AttemptAsync("nobody@example.com", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Item1);
        var options = new AccountOptions();
        for (var i = 0; i < options.LockoutFailures; i++)
        {
            Assert.Equal(unknown, await AttemptAsync("locked@example.com", "wrong password " + i));
        }

        // Locked now: the right password is refused with the same words as an unknown email.
        Assert.Equal(unknown, await AttemptAsync("locked@example.com", Password));
        Assert.Equal(unknown, await AttemptAsync("LOCKED@example.com", Password));
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Piramid.ControlPlane.Data.ControlPlaneDbContext>();
        var user = db.Users.Single(u => u.Email == "locked@example.com");
        Assert.Equal(options.LockoutFailures, user.FailedCount);
        Assert.True(user.LockedUntil > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task PasswordChange_RevokesEveryRefreshToken_AndOnlyTheNewPasswordSignsIn()
    {
        await using var platform = await AccountsTests.StartAsync(postgres);
        await SignUpAsync(platform, "change@example.com", "change-org");
        using var laptop = new PortalBrowser(platform.GatewayAddress);
        using var phone = new PortalBrowser(platform.GatewayAddress);
        var onLaptop = await laptop.SignInAsync("change@example.com", Password);
        var onPhone = await phone.SignInAsync("change@example.com", Password);

        using var me = Authorized(platform, onLaptop["access_token"]!.GetValue<string>());
        using (var wrong = await me.PostAsJsonAsync("/v1/me/password", new { current_password = "not it at all", new_password = "a brand new passphrase" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("'current_password'", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var weak = await me.PostAsJsonAsync("/v1/me/password", new { current_password = Password, new_password = "password123" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
            Assert.Contains("'new_password'", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Both refresh tokens still work before the change (each rotates once).
        var laptopRefresh = (await laptop.RefreshAsync(onLaptop["refresh_token"]!.GetValue<string>())).Body["refresh_token"]!.GetValue<string>();
        var phoneRefresh = (await phone.RefreshAsync(onPhone["refresh_token"]!.GetValue<string>())).Body["refresh_token"]!.GetValue<string>();
        using (var changed = await me.PostAsJsonAsync("/v1/me/password", new { current_password = Password, new_password = "a brand new passphrase" }))
        {
            Assert.True(changed.StatusCode == HttpStatusCode.NoContent, await changed.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await laptop.RefreshAsync(laptopRefresh)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await phone.RefreshAsync(phoneRefresh)).Status);
        using var fresh = new PortalBrowser(platform.GatewayAddress);
        await Assert.ThrowsAsync<InvalidOperationException>(() => fresh.SignInAsync("change@example.com", Password));
        using var again = new PortalBrowser(platform.GatewayAddress);
        Assert.NotNull((await again.SignInAsync("change@example.com", "a brand new passphrase"))["access_token"]);
    }

    [Fact]
    public async Task Totp_EnrolAndConfirm_ThenSignInAsksForACode_AcceptsACode_AndARecoveryCodeOnlyOnce()
    {
        await using var platform = await AccountsTests.StartAsync(postgres);
        await SignUpAsync(platform, "totp@example.com", "totp-org");
        using var first = new PortalBrowser(platform.GatewayAddress);
        using var me = Authorized(platform, (await first.SignInAsync("totp@example.com", Password))["access_token"]!.GetValue<string>());

        using var enrol = await me.PostAsync(new Uri("/v1/me/totp", UriKind.Relative), null);
        var enrolment = (await enrol.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(enrol.StatusCode == HttpStatusCode.OK, enrolment.ToJsonString());
        var secret = Base32(enrolment["secret"]!.GetValue<string>());
        Assert.StartsWith("otpauth://totp/Piramid%3Atotp%40example.com?secret=", enrolment["otpauth_uri"]!.GetValue<string>(), StringComparison.Ordinal);

        using (var wrong = await me.PostAsJsonAsync("/v1/me/totp/confirm", new { code = Other(TotpCodes.Code(secret, TotpCodes.StepOf(DateTimeOffset.UtcNow))) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        // The confirming code uses the previous step, so the sign-in below (current step) is not a replay of it.
        using var confirm = await me.PostAsJsonAsync("/v1/me/totp/confirm", new { code = TotpCodes.Code(secret, TotpCodes.StepOf(DateTimeOffset.UtcNow) - 1) });
        var confirmation = (await confirm.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(confirm.StatusCode == HttpStatusCode.OK, confirmation.ToJsonString());
        var recovery = confirmation["recovery_codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(RecoveryCodes.Count, recovery.Distinct().Count());

        // The password alone no longer signs in: the form asks for a code.
        var (codePage, state, verifier, browser) = await PasswordStepAsync(platform);
        using (browser)
        {
            Assert.Contains("<label>Code", codePage, StringComparison.Ordinal);
            using var bad = await browser.PostCodeAsync(codePage, Other(TotpCodes.Code(secret, TotpCodes.StepOf(DateTimeOffset.UtcNow))));
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
            using var good = await browser.PostCodeAsync(await bad.Content.ReadAsStringAsync(), TotpCodes.Code(secret, TotpCodes.StepOf(DateTimeOffset.UtcNow)));
            var code = await browser.CodeAsync(good, state);
            Assert.Equal(HttpStatusCode.OK, (await browser.ExchangeAsync(code, verifier)).Status);
        }

        // A recovery code works once (any case, with or without its hyphen), and never again.
        (codePage, state, verifier, browser) = await PasswordStepAsync(platform);
        using (browser)
        {
            using var recovered = await browser.PostCodeAsync(codePage, recovery[3].ToUpperInvariant());
            var code = await browser.CodeAsync(recovered, state);
            Assert.Equal(HttpStatusCode.OK, (await browser.ExchangeAsync(code, verifier)).Status);
        }

        (codePage, _, _, browser) = await PasswordStepAsync(platform);
        using (browser)
        {
            using var reused = await browser.PostCodeAsync(codePage, recovery[3].Replace("-", string.Empty, StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        }

        var status = await me.GetFromJsonAsync<JsonObject>("/v1/me");
        Assert.True(status!["totp_enabled"]!.GetValue<bool>());
    }

    private static async Task<(string CodePage, string State, string Verifier, PortalBrowser Browser)> PasswordStepAsync(PlatformHost platform)
    {
        var browser = new PortalBrowser(platform.GatewayAddress);
        var (verifier, challenge) = PortalBrowser.NewPkce();
        var state = Guid.NewGuid().ToString("N");
        var login = await browser.StartAsync(challenge, state);
        using var response = await browser.PostLoginAsync(login, "totp@example.com", Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(), state, verifier, browser);
    }

    private static string Other(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static string Alert(string html)
    {
        var start = html.IndexOf("<p role=\"alert\">", StringComparison.Ordinal);
        return start < 0 ? "(no alert)" : html[start..html.IndexOf("</p>", start, StringComparison.Ordinal)];
    }

    private static byte[] Base32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
