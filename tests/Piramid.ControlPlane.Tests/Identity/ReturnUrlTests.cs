using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Identity;

/// <summary>After the operator login only local paths are followed: the open-redirect class, by table and generator.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ReturnUrlTests(PostgresFixture postgres)
{
    private static readonly string[] Hostile =
    [
        "//evil.example/", "/\\evil.example/", "\\\\evil.example/", "\\/evil.example/", "https://evil.example/", "http:evil.example",
        "javascript:alert(1)", "data:text/html,x", " //evil.example/", "/\t/evil.example/", "/\n/evil.example/", "/\r\n/evil.example/",
        "/\u0000/evil.example", "/ /evil.example", "/%09/evil.example", "/a\\..\\..\\\\evil.example", "/\u3002evil.example", "/\uFF0F/evil.example",
        "/é", "/\u202e/", "\u0000", "", "evil.example", "./x", "../x", "%2F%2Fevil.example", "/\r\nSet-Cookie: a=b", "/" + new string('a', 3000),
        "/%2F%2Fevil.example", "/%5C%5Cevil.example", "/%2f/evil.example", "/%0d%0aSet-Cookie:%20a=b", "/a%5C..%5C",
    ];

    private static readonly string[] Local = ["/", "/connect/authorize?client_id=piramid-portal&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=x", "/a/b?c=%2F%2Fd#e", "/caf%C3%A9", "/connect/authorize?scope=openid%20offline_access"];

    [Fact]
    public void Table_HostileIsRefused_LocalIsFollowed()
    {
        Assert.All(Hostile, url => Assert.False(LocalReturnUrl.IsLocal(url), Show(url)));
        Assert.All(Local, url => Assert.True(LocalReturnUrl.IsLocal(url), Show(url)));
    }

    [Fact]
    public void Generated_AnythingFollowed_StaysOnThisOrigin()
    {
        var random = new Random(7);
        string[] pieces = ["/", "/", "//", "\\", "%2F", "%5C", "@", ":", "evil.example", "http", "?", "#", ".", "..", " ", "\t", "\r", "\n", "\u0000", "é", "\uFF0F", "a", "b", "="];
        var followed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var url = new StringBuilder(random.Next(2) == 0 ? "/" : string.Empty);
            for (var n = random.Next(1, 6); n > 0; n--)
            {
                url.Append(pieces[random.Next(pieces.Length)]);
            }

            var text = url.ToString();
            if (!LocalReturnUrl.IsLocal(text))
            {
                continue;
            }

            followed++;
            // What a browser would do: drop tabs and line breaks, read '\' as '/', resolve against this origin.
            // The same once percent-decoded, in case a later hop decodes.
            foreach (var view in new[] { text, Uri.UnescapeDataString(text) })
            {
                var browserView = Regex.Replace(view, "[\t\r\n]", string.Empty).Replace('\\', '/');
                var resolved = new Uri(new Uri("https://cp.example/"), browserView);
                Assert.True(resolved.Host == "cp.example" && resolved.Scheme == "https", Show(text));
            }

            Assert.All(text, c => Assert.InRange(c, '!', '~'));
        }

        Assert.True(followed > 1000, $"only {followed} generated URLs were local: the generator must reach both sides");
    }

    [Fact]
    public async Task Login_WithAHostileReturnUrl_RedirectsHome_NeverAServerError()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Piramid.ControlPlane.Accounts.UserAccounts>()
                .CreateUserAsync("ops@example.com", "operator passphrase 42", platformAdmin: true, ownedTenantId: null, CancellationToken.None);
        }

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = host.BaseAddress,
        };

        foreach (var url in Local.Concat(Hostile.Where(u => !u.Contains('\u0000', StringComparison.Ordinal))).Concat(Local))
        {
            using var form = await browser.GetAsync(new Uri("/account/login", UriKind.Relative));
            var field = AntiforgeryField().Match(await form.Content.ReadAsStringAsync());
            using var login = await browser.PostAsync(new Uri("/account/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [WebUtility.HtmlDecode(field.Groups["name"].Value)] = WebUtility.HtmlDecode(field.Groups["value"].Value),
                ["email"] = "ops@example.com",
                ["password"] = "operator passphrase 42",
                ["return_url"] = url,
            }));
            Assert.True(login.StatusCode == HttpStatusCode.Redirect, $"{Show(url)}: {(int)login.StatusCode}");
            Assert.True((Local.Contains(url) ? url : "/") == login.Headers.Location!.OriginalString, $"{Show(url)} -> {login.Headers.Location}");
        }
    }

    private static string Show(string url) => $"'{string.Concat(url.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()))}'";

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
