using System.Net;
using System.Text.RegularExpressions;
using Piramid.Client.Models;
using Piramid.Client.Tests.Support;

namespace Piramid.Client.Tests;

/// <summary>
/// A connection that fails (reset before the request arrives, or after the server answered) is retried for reads and
/// for keyed writes, with the same key, and never for a collection delete; a loopback proxy in front of the live
/// gateway drops the scripted connections.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed partial class TransportRetryTests(ClientPlatform platform)
{
    [Fact]
    public async Task Upsert_RetriedAfterTheConnectionLostItsAnswer_ReturnsTheFirstLsn_AndWritesOnce()
    {
        var key = await NewCollectionAsync();
        await using var proxy = new DroppingProxy(platform.Host.GatewayAddress, Drop.LoseAnswer);
        using var client = Through(proxy, key);

        var written = await client.UpsertAsync("docs", [new Point { Id = "a", Vector = [1, 2] }]);

        Assert.Equal(2, proxy.Connections);
        Assert.True(proxy.LostAnswers.TryDequeue(out var lost));
        Assert.StartsWith("HTTP/1.1 200", lost, StringComparison.Ordinal);
        Assert.Equal(long.Parse(Lsn().Match(lost).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), written.Lsn);
        using var direct = platform.Client(key);
        var next = await direct.UpsertAsync("docs", [new Point { Id = "b", Vector = [3, 4] }]);
        Assert.Equal(written.Lsn + 1, next.Lsn); // the retry logged nothing
    }

    [Fact]
    public async Task Reads_RetryConnectionsResetBeforeTheRequestArrived()
    {
        var key = await NewCollectionAsync();
        await using var proxy = new DroppingProxy(platform.Host.GatewayAddress, Drop.Reset, Drop.Reset, Drop.LoseAnswer);
        using var client = Through(proxy, key);

        var info = await client.GetCollectionAsync("docs");

        Assert.Equal(2, info.Dimension);
        Assert.Equal(4, proxy.Connections);
    }

    [Fact]
    public async Task TransportRetries_StopAtMaxAttempts_WithTheTransportError()
    {
        var key = await NewCollectionAsync();
        await using var proxy = new DroppingProxy(platform.Host.GatewayAddress, Drop.Reset, Drop.Reset, Drop.Reset, Drop.Reset);
        using var client = Through(proxy, key, maxAttempts: 3);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.UpsertAsync("docs", [new Point { Id = "a", Vector = [1, 2] }]));

        Assert.Equal(3, proxy.Connections);
        using var direct = platform.Client(key);
        Assert.Equal(0L, await direct.CountAsync("docs"));
    }

    [Fact]
    public async Task DeleteCollection_IsNotResentAfterALostAnswer()
    {
        var key = await NewCollectionAsync();
        await using var proxy = new DroppingProxy(platform.Host.GatewayAddress, Drop.LoseAnswer);
        using var client = Through(proxy, key);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.DeleteCollectionAsync("docs"));

        Assert.Equal(1, proxy.Connections);
        using var direct = platform.Client(key);
        var gone = await Assert.ThrowsAsync<PiramidApiException>(() => direct.GetCollectionAsync("docs"));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    private async Task<string> NewCollectionAsync()
    {
        var key = await platform.NewTenantKeyAsync();
        using var setup = platform.Client(key);
        await setup.CreateCollectionAsync("docs", new CollectionSettings { Dimension = 2 });
        return key;
    }

    private static PiramidClient Through(DroppingProxy proxy, string key, int maxAttempts = 4) => new(new PiramidClientOptions
    {
        BaseAddress = proxy.Address,
        ApiKey = key,
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        Random = new Random(24),
    });

    [GeneratedRegex("\"lsn\"\\s*:\\s*(\\d+)")]
    private static partial Regex Lsn();
}
