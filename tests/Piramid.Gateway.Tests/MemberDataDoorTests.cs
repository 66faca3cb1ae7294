using System.Text;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>
/// A member's data paths, <c>/v1/tenants/{id}/collections/...</c>, have the door of <c>/v1/collections/...</c>: a
/// method the table does not serve there is 405 with <c>Allow</c> from the gateway, whatever the credential, and
/// never falls through to the control plane's tenant routes (which would answer 404).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MemberDataDoorTests(PostgresFixture postgres)
{
    // Method, the path after the tenant prefix, and the methods the table serves there.
    private static readonly (string Method, string Path, string Allow)[] Cases =
    [
        ("POST", "/collections", "GET"),
        ("DELETE", "/collections", "GET"),
        ("PUT", "/collections", "GET"),
        ("PATCH", "/collections", "GET"),
        ("POST", "/collections/docs", "GET, PUT, PATCH, DELETE"),
        ("GET", "/collections/docs/search", "POST"),
    ];

    [Fact]
    public async Task AMemberPathWithAnotherMethod_Is405WithAllow_LikeTheKeyPath_ForEveryCredential()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("memberdoor");
        var token = await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator);
        string?[] credentials = [token, key, null];
        foreach (var credential in credentials)
        {
            using var http = platform.Client(credential);
            foreach (var (method, path, allow) in Cases)
            {
                var memberPath = $"/v1/tenants/{tenantId}{path}";
                using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(memberPath, UriKind.Relative))
                {
                    Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
                });
                // The problem's instance is the path the client called, not the key path it was rewritten to.
                await ProblemAssert.MatchesAsync(response, ProblemCatalog.MethodNotAllowed);
                Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
            }
        }
    }
}
