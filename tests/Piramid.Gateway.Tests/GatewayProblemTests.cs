using System.Net.Http.Headers;
using System.Net.Http.Json;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// Every problem the gateway makes itself is a catalogue entry with the full shape (type, title, status, detail,
/// instance, trace and request ids), whatever the client's <c>Accept</c> header says.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GatewayProblemTests(PostgresFixture postgres)
{
    [Theory]
    [InlineData(null)]
    [InlineData("text/html")]
    public async Task GatewayMadeProblems_MatchTheCatalogue(string? accept)
    {
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Gateway:UnauthenticatedRatePerSecond"] = "1",
            ["Gateway:UnauthenticatedBurst"] = "10",
        });
        var (tenantId, adminKey) = await platform.TenantWithKeyAsync("problems");
        var reader = await platform.KeyAsync(tenantId, "read_only");
        using var admin = Accepting(platform.Client(adminKey), accept);
        using var readOnly = Accepting(platform.Client(reader), accept);
        using var anonymous = Accepting(platform.Client(null), accept);
        await WaitRoutedAsync(admin);

        // 501: a method implemented nowhere.
        using (var odd = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod("BREW"), new Uri("/v1/collections", UriKind.Relative))))
        {
            await ProblemAssert.MatchesAsync(odd, ProblemCatalog.NotImplemented);
        }

        // 415: a body that is not JSON.
        using (var text = await admin.PutAsync(new Uri("/v1/collections/docs", UriKind.Relative), new StringContent("name=docs", null, "text/plain")))
        {
            await ProblemAssert.MatchesAsync(text, ProblemCatalog.UnsupportedMediaType);
        }

        // 403 forbidden: a read-only key that writes.
        using (var write = await readOnly.PutAsJsonAsync("/v1/collections/docs", new { dimension = 3 }))
        {
            await ProblemAssert.MatchesAsync(write, ProblemCatalog.Forbidden);
        }

        // 401, then 429 once the address has spent its budget for requests without a valid credential.
        using (var missing = await anonymous.GetAsync(new Uri("/v1/collections", UriKind.Relative)))
        {
            await ProblemAssert.MatchesAsync(missing, ProblemCatalog.Unauthorized);
        }

        for (var attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 40, "the unauthenticated budget never ran out");
            using var response = await anonymous.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            if ((int)response.StatusCode == 429)
            {
                await ProblemAssert.MatchesAsync(response, ProblemCatalog.RateLimited);
                Assert.True(response.Headers.RetryAfter is not null, "429 without Retry-After");
                break;
            }

            await ProblemAssert.MatchesAsync(response, ProblemCatalog.Unauthorized);
        }
    }

    private static HttpClient Accepting(HttpClient client, string? accept)
    {
        if (accept is not null)
        {
            client.DefaultRequestHeaders.Accept.Clear();
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return client;
    }
}
