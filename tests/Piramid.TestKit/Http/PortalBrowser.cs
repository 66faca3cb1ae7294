using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace Piramid.TestKit.Http;

/// <summary>
/// What a browser and the portal (a public client) do in the authorization code flow with PKCE, over plain HTTP and
/// following each redirect by hand: GET /connect/authorize, the login form with its antiforgery token and cookie, the
/// optional code step, back to /connect/authorize, the redirect with the code, the exchange at /connect/token.
/// </summary>
public sealed partial class PortalBrowser : IDisposable
{
    /// <summary>The portal's client id in tests.</summary>
    public const string ClientId = "piramid-portal";

    /// <summary>The portal's redirect URI in tests.</summary>
    public static readonly Uri RedirectUri = new("http://127.0.0.1:5173/callback");

    /// <summary>The scopes the portal asks for by default.</summary>
    public const string DefaultScope = "openid offline_access";

    private readonly HttpClient _http;

    private readonly Uri _redirectUri;

    private readonly string _scope;

    /// <summary>
    /// A browser with its own cookie jar, talking to <paramref name="baseAddress"/> (the gateway or the control plane), as a
    /// portal whose redirect URI is <paramref name="redirectUri"/> (default <see cref="RedirectUri"/>) asking for <paramref name="scope"/>.
    /// </summary>
    public PortalBrowser(Uri baseAddress, Uri? redirectUri = null, string scope = DefaultScope)
    {
        _redirectUri = redirectUri ?? RedirectUri;
        _scope = scope;
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>The underlying client (cookies included).</summary>
    public HttpClient Http => _http;

    /// <summary>A fresh PKCE pair (S256).</summary>
    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>The authorization request URL.</summary>
    public static string AuthorizeUrl(string challenge, string state, string method = "S256", Uri? redirectUri = null, string scope = DefaultScope) => QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
    {
        ["client_id"] = ClientId,
        ["response_type"] = "code",
        ["redirect_uri"] = (redirectUri ?? RedirectUri).ToString(),
        ["scope"] = scope,
        ["code_challenge"] = challenge,
        ["code_challenge_method"] = method,
        ["state"] = state,
    });

    /// <summary>GET /connect/authorize while signed out: returns the login page's path (with its ReturnUrl).</summary>
    public async Task<string> StartAsync(string challenge, string state)
    {
        using var response = await _http.GetAsync(new Uri(AuthorizeUrl(challenge, state, redirectUri: _redirectUri, scope: _scope), UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"authorize answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var location = response.Headers.Location!;
        // Relative, so it works behind the gateway whatever host the control plane sees.
        if (location.IsAbsoluteUri)
        {
            throw new InvalidOperationException($"the login redirect is absolute: {location}");
        }

        return location.OriginalString;
    }

    /// <summary>Loads a form page and reads its antiforgery field.</summary>
    public async Task<(string Name, string Value, string Html)> FormAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {html}");
        }

        var (name, value) = Antiforgery(html);
        return (name, value, html);
    }

    /// <summary>Posts the email/password form; the response is the caller's.</summary>
    public async Task<HttpResponseMessage> PostLoginAsync(string loginPath, string email, string password)
    {
        var (name, value, _) = await FormAsync(loginPath);
        var returnUrl = QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), loginPath).Query)["ReturnUrl"].ToString();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [name] = value,
            ["email"] = email,
            ["password"] = password,
            ["return_url"] = returnUrl,
        });
        return await _http.PostAsync(new Uri("/account/login", UriKind.Relative), form);
    }

    /// <summary>Posts the code form, whose antiforgery field comes from the page <paramref name="codePage"/>.</summary>
    public async Task<HttpResponseMessage> PostCodeAsync(string codePage, string code)
    {
        var (name, value) = Antiforgery(codePage);
        var returnUrl = WebUtility.HtmlDecode(ReturnUrlField().Match(codePage).Groups["value"].Value);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [name] = value,
            ["code"] = code,
            ["return_url"] = returnUrl,
        });
        return await _http.PostAsync(new Uri("/account/login/code", UriKind.Relative), form);
    }

    /// <summary>Follows a signed-in redirect back to /connect/authorize and returns the code sent to the portal.</summary>
    public async Task<string> CodeAsync(HttpResponseMessage signedIn, string state)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in answered {(int)signedIn.StatusCode}: {await signedIn.Content.ReadAsStringAsync()}");
        }

        using var response = await _http.GetAsync(signedIn.Headers.Location!);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"authorize answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        if (query["state"].ToString() != state || string.IsNullOrEmpty(query["code"].ToString()))
        {
            throw new InvalidOperationException($"authorize redirected to {response.Headers.Location}");
        }

        return query["code"].ToString();
    }

    /// <summary>Exchanges a code at /connect/token; returns the status and the JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> ExchangeAsync(string code, string verifier)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = _redirectUri.ToString(),
            ["client_id"] = ClientId,
            ["code_verifier"] = verifier,
        });
        return await TokenAsync(form);
    }

    /// <summary>Uses a refresh token at /connect/token.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> RefreshAsync(string refreshToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = ClientId,
        });
        return await TokenAsync(form);
    }

    /// <summary>Signs in from scratch (no second factor) and returns the token response.</summary>
    public async Task<JsonObject> SignInAsync(string email, string password)
    {
        var (verifier, challenge) = NewPkce();
        var state = Guid.NewGuid().ToString("N");
        var login = await StartAsync(challenge, state);
        using var signedIn = await PostLoginAsync(login, email, password);
        var code = await CodeAsync(signedIn, state);
        var (status, body) = await ExchangeAsync(code, verifier);
        return status == HttpStatusCode.OK ? body : throw new InvalidOperationException($"token exchange answered {(int)status}: {body}");
    }

    /// <summary>The claims of a JWT (its payload, not validated: the tests validate through the services).</summary>
    public static JsonObject Claims(string jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        return JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!.AsObject();
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<(HttpStatusCode, JsonObject)> TokenAsync(FormUrlEncodedContent form)
    {
        using var response = await _http.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static (string Name, string Value) Antiforgery(string html)
    {
        var match = AntiforgeryField().Match(html);
        return match.Success
            ? (WebUtility.HtmlDecode(match.Groups["name"].Value), WebUtility.HtmlDecode(match.Groups["value"].Value))
            : throw new InvalidOperationException("no antiforgery field in the page: " + html);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<input type=\"hidden\" name=\"return_url\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex ReturnUrlField();
}
