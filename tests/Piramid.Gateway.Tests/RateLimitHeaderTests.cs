using System.Net;
using System.Net.Http.Json;
using System.Text;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// The <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> headers are on every answer
/// docs/API.md promises them for: every data API answer that passed the plan's rate limit (the engine's 2xx and
/// 4xx), and every 429 (the plan's, the in-flight limit's in <c>AdmissionTests</c>, the address budgets'). The admin
/// API and <c>/v1/api-keys</c> have no plan limit and carry none.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RateLimitHeaderTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EveryRouteOfTheTable_AnswersWithRateLimitHeaders_ExactlyWhereThePlanLimitApplies()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("headers");
        using var tenant = platform.Client(key);
        using var anonymous = platform.Client(null);
        using var operatorClient = platform.Client(await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator));
        await WaitRoutedAsync(tenant);
        (await tenant.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();

        Assert.Equal(PublicRoutes.Engine.Count + PublicRoutes.ControlPlane.Count, PublicRoutes.All.Count);
        foreach (var route in PublicRoutes.All)
        {
            var client = route.Service == RouteService.Engine ? tenant
                : route.Role == Roles.PlatformAdmin ? operatorClient
                : route.Role is null ? anonymous
                : tenant;
            var path = route.Template
                .Replace("{name}", "docs", StringComparison.Ordinal)
                .Replace("{id}", route.Service == RouteService.Engine ? "p1" : tenantId, StringComparison.Ordinal)
                .Replace("{key_id}", "key_none", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(path, UriKind.Relative));
            if (route.Method is "POST" or "PUT" or "PATCH")
            {
                // The smallest body each route takes or refuses with a 4xx: what the headers say does not depend on it.
                request.Content = route == PublicRoutes.CollectionsCreate ? new StringContent("{\"dimension\":2}", Encoding.UTF8, "application/json")
                    : route.Name == "connect.token" ? new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" })
                    : new StringContent("{}", Encoding.UTF8, "application/json");
            }

            // Deleting the tenant would end the table walk for the routes after it; its answer is no different.
            if (route.Name == "tenants.delete")
            {
                request.RequestUri = new Uri("/v1/tenants/tenant_none", UriKind.Relative);
            }

            using var response = await client.SendAsync(request);
            var why = $"{route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            Assert.True((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests, why);
            if (route.Service == RouteService.Engine)
            {
                RateLimitHeaders.AssertPresent(response, why);
            }
            else
            {
                Assert.True(RateLimitHeaders.Names.All(n => !response.Headers.Contains(n)), "no plan limit applies, yet: " + why);
            }
        }
    }

    [Fact]
    public async Task EveryKindOf429_CarriesTheRateLimitHeaders()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Gateway:UnauthenticatedRatePerSecond"] = "1",
            ["Gateway:UnauthenticatedBurst"] = "3",
            ["Gateway:SignInRatePerSecond"] = "1",
            ["Gateway:SignInBurst"] = "2",
        });
        using (var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator))
        {
            (await admin.PutAsJsonAsync("/v1/plans/trickle", new
            {
                name = "Trickle",
                max_collections = 5,
                max_points = 1000,
                max_storage_bytes = 1L << 30,
                max_dimension = 8,
                read_rate_per_second = 1,
                read_burst = 3,
                write_rate_per_second = 1,
                write_burst = 3,
                monthly_read_units = 1_000_000,
                monthly_write_units = 1_000_000,
            })).EnsureSuccessStatusCode();
        }

        var (_, key) = await platform.TenantWithKeyAsync("trickle", plan: "trickle");
        using var tenant = platform.Client(key);
        await WaitRoutedAsync(tenant);
        var plan = await FirstRefusalAsync(tenant, () => new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/collections", UriKind.Relative)));
        RateLimitHeaders.AssertPresent(plan, "the plan's 429");
        Assert.Equal("3", plan.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("0", plan.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal("1", plan.Headers.GetValues("RateLimit-Reset").Single());

        using var anonymous = platform.Client(null);
        var address = await FirstRefusalAsync(anonymous, () => new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/collections", UriKind.Relative)));
        RateLimitHeaders.AssertPresent(address, "the address budget's 429");
        Assert.Equal("3", address.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("0", address.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal(address.Headers.RetryAfter!.ToString(), address.Headers.GetValues("RateLimit-Reset").Single());

        var signIn = await FirstRefusalAsync(anonymous, () => new HttpRequestMessage(HttpMethod.Post, new Uri("/connect/token", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        });
        RateLimitHeaders.AssertPresent(signIn, "the sign-in budget's 429");
        Assert.Equal("2", signIn.Headers.GetValues("RateLimit-Limit").Single());
    }

    // Sends until the first 429 (the budgets are a few tokens): bounded, and never waits between sends.
    private static async Task<HttpResponseMessage> FirstRefusalAsync(HttpClient client, Func<HttpRequestMessage> request)
    {
        for (var i = 0; i < 50; i++)
        {
            var response = await client.SendAsync(request());
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            response.Dispose();
        }

        throw new Xunit.Sdk.XunitException("no 429 after 50 requests");
    }
}
