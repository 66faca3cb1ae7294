using System.Text.Json;
using System.Text.Json.Serialization;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Json;

namespace Piramid.Contracts.Tests.Json;

public sealed class WireJsonTests
{
    [Fact]
    public void Options_WriteSnakeCase()
    {
        var json = JsonSerializer.Serialize(new RouteInfo { TenantId = "t_1", Endpoint = "http://e", EngineSecret = "s", State = "running" }, WireJson.Options);
        Assert.Equal("""{"tenant_id":"t_1","endpoint":"http://e","engine_secret":"s","state":"running"}""", json);
    }

    [Fact]
    public void Options_ReadUnknownMembersAsAClient()
    {
        // A client reading a newer server's answer must not break on a field it does not know yet.
        var info = JsonSerializer.Deserialize<ChangeInfo>("""{"id":3,"kind":"key","subject":"k","time":"2026-01-01T00:00:00Z","added_later":1}""", WireJson.Options);
        Assert.Equal("k", info!.Subject);
    }

    [Fact]
    public void ConfigureServer_RefusesUnknownMembers()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        WireJson.ConfigureServer(options);
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ChangeInfo>("""{"kind":"key","subject":"k","subjectt":"x"}""", options));
        Assert.Contains("subjectt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KnownNamingPolicy_NamesTheSamePolicyAsTheObject()
    {
        // The constant feeds source-generated contexts, the object feeds runtime options: they must agree.
        Assert.Equal(JsonKnownNamingPolicy.SnakeCaseLower, WireJson.KnownNamingPolicy);
        Assert.Same(JsonNamingPolicy.SnakeCaseLower, WireJson.NamingPolicy);
        Assert.Same(WireJson.NamingPolicy, WireJson.Options.PropertyNamingPolicy);
    }
}
