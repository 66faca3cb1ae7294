using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Crypto;
using Piramid.Engine.Tests.Storage;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// Closing the engine: a host may close it when it stops and its container dispose it again; the second call does
/// nothing, and what the first one flushed and checkpointed is all there on the next open.
/// </summary>
public sealed class EngineDisposeTests
{
    [Fact]
    public async Task DisposeAsync_Twice_ClosesOnceAndKeepsEveryWrite()
    {
        using var directory = new TempDirectory();
        using var dataKey = DataKey.Generate();
        var engine = VectorEngine.Open(new EngineOptions { DataDirectory = directory.Path }, DataKey.FromBytes(dataKey.Bytes));
        engine.Create("docs", new CreateCollection(2, Index: new IndexSpec(CollectionConfig.Flat)), out _);
        await engine.Get("docs").UpsertAsync(new UpsertPoints([new NewPoint("a", [1, 2]), new NewPoint("b", [3, 4])]));

        await engine.DisposeAsync();
        await engine.DisposeAsync();

        await using var reopened = VectorEngine.Open(new EngineOptions { DataDirectory = directory.Path }, DataKey.FromBytes(dataKey.Bytes));
        var docs = reopened.Get("docs");
        Assert.Equal(2, docs.Count);
        Assert.Equal(new float[] { 3, 4 }, docs.Get("b", includeVector: true, includeMetadata: false).Vector);
    }
}
