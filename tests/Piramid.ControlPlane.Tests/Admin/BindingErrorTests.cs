using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>The binder's refusals say which field and why, not "the request is malformed".</summary>
[Collection(PostgresCollection.Name)]
public sealed class BindingErrorTests(PostgresFixture postgres)
{
    private static readonly (string Method, string Path, string? Body, string[] Expected)[] Cases =
    [
        ("POST", "/v1/tenants", """{"name":"ok","colour":"red"}""", ["'colour'", "not a field"]),
        ("POST", "/v1/tenants", """{"name":5}""", ["'name'", "a string"]),
        ("POST", "/v1/tenants", """{"name":""", ["not valid JSON"]),
        ("POST", "/v1/tenants", null, ["JSON body is required"]),
        ("GET", "/v1/tenants/t_x/usage?from=banana", null, ["'from'", "a date (yyyy-MM-dd)", "banana"]),
        ("GET", "/v1/tenants/t_x/audit?limit=many", null, ["'limit'", "an integer"]),
        ("GET", "/v1/tenants/t_x/audit?from=yesterday", null, ["'from'", "ISO 8601"]),
        ("POST", "/v1/tenants/t_x/api-keys/k/rotate", """{"grace_period_seconds":"soon"}""", ["'grace_period_seconds'", "an integer"]),
        ("POST", "/v1/tenants/t_x/api-keys", """{"name":"k","role":"admin","collections":"docs"}""", ["'collections'", "an array"]),
    ];

    [Fact]
    public async Task BindingFailures_NameTheFieldAndTheProblem()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        foreach (var (method, path, body, expected) in Cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var detail = JsonNode.Parse(text)!["detail"]!.GetValue<string>();
            foreach (var words in expected)
            {
                Assert.True(detail.Contains(words, StringComparison.Ordinal), $"{method} {path}: '{detail}' lacks \"{words}\"");
            }
        }
    }
}
