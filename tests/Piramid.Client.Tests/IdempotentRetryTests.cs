using System.Text.Json.Nodes;
using Piramid.Client.Models;
using Piramid.Client.Tests.Support;

namespace Piramid.Client.Tests;

/// <summary>
/// The client's generated <c>Idempotency-Key</c> against the real platform: an upsert whose first answer was lost is
/// retried with the same key, and the engine replays the first answer (same lsn) instead of writing again.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class IdempotentRetryTests(ClientPlatform platform)
{
    [Fact]
    public async Task Upsert_RetriedAfterALostAnswer_ReturnsTheFirstLsn_AndWritesOnce()
    {
        var key = await platform.NewTenantKeyAsync();
        using (var setup = platform.Client(key))
        {
            await setup.CreateCollectionAsync("docs", new CollectionSettings { Dimension = 2 });
        }

        var losing = new LostAnswerHandler();
        using var http = new HttpClient(losing);
        using var client = platform.Client(key, http);

        var written = await client.UpsertAsync("docs", [new Point { Id = "a", Vector = [1, 2] }]);

        Assert.Equal(2, losing.Attempts);
        Assert.StartsWith("200 ", losing.LostAnswer, StringComparison.Ordinal);
        var lost = JsonNode.Parse(losing.LostAnswer![4..])!;
        Assert.Equal(((long)lost["count"]!, (long)lost["lsn"]!), (written.Count, written.Lsn));
        using var reader = platform.Client(key);
        var next = await reader.UpsertAsync("docs", [new Point { Id = "b", Vector = [3, 4] }]);
        Assert.Equal(written.Lsn + 1, next.Lsn); // the retry logged nothing
    }
}
