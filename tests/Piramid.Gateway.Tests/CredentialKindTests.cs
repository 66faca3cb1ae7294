using System.Net.Http.Headers;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// A valid credential of the wrong kind for a route is a 403 <c>forbidden</c> (retrying it cannot help), while a
/// credential that is not valid stays the uniform 401; the <c>Authorization</c> scheme name is case-insensitive.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CredentialKindTests(PostgresFixture postgres)
{
    private static readonly string[] AdminPaths = ["/v1/tenants", "/v1/plans", "/v1/plans/free"];

    private static readonly string[] TenantPaths = ["/v1/collections", "/v1/collections/docs", "/v1/api-keys"];

    [Fact]
    public async Task ValidCredentialOfTheWrongKind_Is403_InvalidOnesStay401()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, tenantKey) = await platform.TenantWithKeyAsync("kinds");
        var operatorToken = await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator);
        using (var routed = platform.Client(tenantKey))
        {
            await WaitRoutedAsync(routed);
        }

        // A tenant key on the admin API, by either header and in any spelling of the scheme.
        foreach (var path in AdminPaths)
        {
            foreach (var (name, value) in new[] { ("Authorization", "Bearer " + tenantKey), ("Authorization", "bearer " + tenantKey), ("Api-Key", tenantKey) })
            {
                using var response = await SendAsync(platform, path, name, value);
                await ProblemAssert.MatchesAsync(response, ProblemCatalog.Forbidden);
            }
        }

        // An operator token on the tenant API.
        foreach (var path in TenantPaths)
        {
            foreach (var scheme in new[] { "Bearer", "bearer" })
            {
                using var response = await SendAsync(platform, path, "Authorization", $"{scheme} {operatorToken}");
                await ProblemAssert.MatchesAsync(response, ProblemCatalog.Forbidden);
            }
        }

        // Invalid credentials of either kind, anywhere: the one 401 body.
        var forgedKey = "pk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var forgedToken = operatorToken[..^4] + (operatorToken.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var bodies = new HashSet<string>();
        foreach (var path in AdminPaths.Concat(TenantPaths))
        {
            foreach (var value in new[] { "Bearer " + forgedKey, "bearer " + forgedKey, "Bearer " + forgedToken, "Bearer not-a-token" })
            {
                using var response = await SendAsync(platform, path, "Authorization", value);
                var body = await ProblemAssert.MatchesAsync(response, ProblemCatalog.Unauthorized);
                bodies.Add((string)body["detail"]!);
            }
        }

        Assert.Single(bodies);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    [InlineData("bEaReR")]
    public async Task TheBearerScheme_IsCaseInsensitive_ForApiKeys(string scheme)
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, tenantKey) = await platform.TenantWithKeyAsync("scheme");
        using (var routed = platform.Client(tenantKey))
        {
            await WaitRoutedAsync(routed);
        }

        using var response = await SendAsync(platform, "/v1/collections", "Authorization", $"{scheme} {tenantKey}");
        Assert.True(response.IsSuccessStatusCode, $"{scheme}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<HttpResponseMessage> SendAsync(PlatformHost platform, string path, string header, string value)
    {
        using var http = new HttpClient { BaseAddress = platform.GatewayAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        Assert.True(request.Headers.TryAddWithoutValidation(header, value));
        return await http.SendAsync(request);
    }
}
