using System.Security.Cryptography;
using Piramid.Contracts;
using Piramid.Contracts.Identity;
using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit.Processes;

namespace Piramid.DataPlane.Tests;

/// <summary>The engine serves only requests signed for it: right secret, tenant, method, path, fresh, once.</summary>
public sealed class InternalAuthTests : IAsyncLifetime
{
    private EngineTestHost _host = null!;
    private EngineProcess _engine = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        _engine = await _host.StartAsync();
        using var admin = _engine.CreateClient();
        await admin.CreateCollectionAsync("docs", 2);
        await admin.CreateCollectionAsync("other", 2);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Forgeries => new() { "no header", "wrong secret", "other tenant", "stale", "future", "other path", "other method", "garbage", "unknown role" };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Request_WithBadIdentity_Is401WithTheSameBody(string forgery)
    {
        var secret = Convert.FromBase64String(_host.EngineSecret);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var identity = new InternalIdentity("k1", "t-test", Roles.Admin, "GET", "/v1/collections", now, Nonce(), []);
        string? header = forgery switch
        {
            "no header" => null,
            "wrong secret" => InternalIdentitySigner.Sign(identity, RandomNumberGenerator.GetBytes(32)),
            "other tenant" => InternalIdentitySigner.Sign(identity with { TenantId = "t-other" }, secret),
            "stale" => InternalIdentitySigner.Sign(identity with { IssuedAtUnixMs = now - 120_000 }, secret),
            "future" => InternalIdentitySigner.Sign(identity with { IssuedAtUnixMs = now + 120_000 }, secret),
            "other path" => InternalIdentitySigner.Sign(identity with { Path = "/v1/collections/docs" }, secret),
            "other method" => InternalIdentitySigner.Sign(identity with { Method = "DELETE" }, secret),
            "unknown role" => InternalIdentitySigner.Sign(identity with { Role = "root" }, secret),
            _ => "v1.garbage.garbage",
        };

        var response = await SendAsync(header);
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("""{"type":"https://piramid.dev/problems/unauthorized","title":"Unauthorized","status":401,"detail":"The request carries no valid credential."}""",
            StripVolatile(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Request_Replayed_IsRefusedTheSecondTime()
    {
        var secret = Convert.FromBase64String(_host.EngineSecret);
        var identity = new InternalIdentity("k1", "t-test", Roles.Admin, "GET", "/v1/collections", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Nonce(), []);
        var header = InternalIdentitySigner.Sign(identity, secret);
        Assert.Equal(200, (int)(await SendAsync(header)).StatusCode);
        Assert.Equal(401, (int)(await SendAsync(header)).StatusCode);
    }

    [Fact]
    public async Task ReadOnlyRole_CannotWriteOrManage()
    {
        using var reader = _engine.CreateClient(Roles.ReadOnly);
        ApiCalls.AssertProblem(await reader.SendAsync(HttpMethod.Post, "/v1/collections/docs/points",
            new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } }), 403);
        ApiCalls.AssertProblem(await reader.SendAsync(HttpMethod.Put, "/v1/collections/new", new { dimension = 2 }), 403);
        ApiCalls.AssertProblem(await reader.SendAsync(HttpMethod.Delete, "/v1/collections/docs"), 403);
        Assert.Equal(200, (int)(await reader.SendAsync(HttpMethod.Post, "/v1/collections/docs/search", new { vector = new[] { 1f, 2f } })).Status);
    }

    [Fact]
    public async Task ReadWriteRole_CannotManageCollections()
    {
        using var writer = _engine.CreateClient(Roles.ReadWrite);
        ApiCalls.AssertProblem(await writer.SendAsync(HttpMethod.Delete, "/v1/collections/docs"), 403);
        await writer.OkAsync(HttpMethod.Post, "/v1/collections/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } });
    }

    [Fact]
    public async Task ScopedKey_SeesOnlyItsCollections()
    {
        using var scoped = _engine.CreateClient(Roles.ReadWrite, collections: ["docs"]);
        ApiCalls.AssertProblem(await scoped.SendAsync(HttpMethod.Post, "/v1/collections/other/search", new { vector = new[] { 1f, 2f } }), 403);
        var list = await scoped.OkAsync(HttpMethod.Get, "/v1/collections");
        Assert.Equal(["docs"], list["collections"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    private async Task<HttpResponseMessage> SendAsync(string? header)
    {
        using var http = _engine.CreateUnsignedClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/collections");
        if (header is not null)
        {
            request.Headers.Add(HeaderNames.Identity, header);
        }

        return await http.SendAsync(request);
    }

    private static string Nonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string StripVolatile(string body)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        node.Remove("instance");
        node.Remove("request_id");
        node.Remove("trace_id");
        return node.ToJsonString();
    }
}
