using System.Net;
using System.Text.Json.Nodes;
using Piramid.Client.Models;
using Piramid.Client.Tests.Support;

namespace Piramid.Client.Tests;

/// <summary>Every data-API method of the client, once, against the real platform through its gateway.</summary>
[Collection(ClientCollection.Name)]
public sealed class DataApiTests(ClientPlatform platform)
{
    private static readonly string[] Genres = ["drama", "comedy", "horror"];

    [Fact]
    public async Task Collections_CreateListGetDelete_RoundTripTheirSettings()
    {
        using var client = platform.Client(await platform.NewTenantKeyAsync());
        var schema = new JsonObject { ["genre"] = "keyword" };
        var created = await client.CreateCollectionAsync("books", new CollectionSettings
        {
            Dimension = 3,
            Metric = Metrics.Euclidean,
            Index = new IndexSettings { Type = "hnsw", M = 8 },
            Schema = schema,
        });
        Assert.Equal(("books", 3, "euclidean", 8), (created.Name, created.Dimension, created.Metric, created.Index!.M));

        // The same settings again: the existing collection, not an error.
        var again = await client.CreateCollectionAsync("books", new CollectionSettings { Dimension = 3, Metric = Metrics.Euclidean, Index = new IndexSettings { Type = "hnsw", M = 8 }, Schema = schema });
        Assert.Equal(created.CreatedAt, again.CreatedAt);
        await client.CreateCollectionAsync("films", new CollectionSettings { Dimension = 2, Index = new IndexSettings { Type = "flat" } });

        Assert.Equal(["books", "films"], (await client.ListCollectionsAsync()).Select(c => c.Name).Order());
        var described = await client.GetCollectionAsync("films");
        Assert.Equal(("flat", "cosine", 0L, "ready"), (described.Index!.Type, described.Metric, described.Count, described.Status));
        Assert.Equal("keyword", (await client.GetCollectionAsync("books")).Schema!["genre"]!.GetValue<string>());

        await client.DeleteCollectionAsync("films");
        Assert.Equal(["books"], (await client.ListCollectionsAsync()).Select(c => c.Name));
        var gone = await Assert.ThrowsAsync<PiramidApiException>(() => client.GetCollectionAsync("films"));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task Points_UpsertGetUpdateDeleteCount_AreDurableWrites()
    {
        using var client = platform.Client(await platform.NewTenantKeyAsync());
        await client.CreateCollectionAsync("docs", new CollectionSettings { Dimension = 2 });

        var written = await client.UpsertAsync("docs",
        [
            new Point { Id = "a", Vector = [1, 0], Metadata = new JsonObject { ["genre"] = "drama", ["year"] = 1999 } },
            new Point { Id = "b/2", Vector = [0, 1], Metadata = new JsonObject { ["genre"] = "comedy", ["year"] = 2005 } },
            new Point { Id = "c", Vector = [1, 1] },
        ]);
        Assert.Equal(3, written.Count);
        Assert.True(written.Lsn > 0);

        // An id with '/' travels escaped, as one path segment.
        var b = await client.GetPointAsync("docs", "b/2", includeVector: true);
        Assert.Equal(("b/2", "comedy"), (b.Id, b.Metadata!["genre"]!.GetValue<string>()));
        Assert.Equal([0f, 1f], b.Vector!);
        Assert.Null((await client.GetPointAsync("docs", "a")).Vector);

        var many = await client.GetPointsAsync("docs", ["c", "missing", "a"], includeMetadata: false);
        Assert.Equal(["c", "a"], many.Select(p => p.Id));
        Assert.All(many, p => Assert.Null(p.Metadata));

        var updated = await client.UpdatePointAsync("docs", "a", metadata: new JsonObject { ["year"] = null, ["rating"] = 5 }, vector: [0.5f, 0.5f]);
        Assert.Equal(1, updated.Count);
        Assert.True(updated.Lsn > written.Lsn);
        var a = await client.GetPointAsync("docs", "a", includeVector: true);
        Assert.Equal(new float[] { 0.5f, 0.5f }, a.Vector);
        Assert.Equal("""{"genre":"drama","rating":5}""", a.Metadata!.ToJsonString());

        Assert.Equal(3, await client.CountAsync("docs"));
        Assert.Equal(1, await client.CountAsync("docs", Filter.Equal("genre", "comedy")));

        Assert.Equal(1, (await client.DeletePointsAsync("docs", ["c", "not-there"])).Count);
        Assert.Equal(1, (await client.DeletePointsAsync("docs", Filter.Equal("genre", "comedy"))).Count);
        Assert.Equal(["a"], (await client.GetPointsAsync("docs", ["a", "b/2", "c"])).Select(p => p.Id));
        var missing = await Assert.ThrowsAsync<PiramidApiException>(() => client.GetPointAsync("docs", "c"));
        Assert.Equal((HttpStatusCode.NotFound, "not-found"), (missing.Status, missing.Code));

        Assert.Equal(1, (await client.DeleteAllPointsAsync("docs")).Count);
        Assert.Equal(0, await client.CountAsync("docs"));
    }

    [Fact]
    public async Task Search_FiltersBatchesRecommendsAndGroups()
    {
        using var client = platform.Client(await platform.NewTenantKeyAsync());
        await client.CreateCollectionAsync("films", new CollectionSettings { Dimension = 2, Metric = Metrics.Euclidean, Index = new IndexSettings { Type = "flat" } });
        // Points on a line: the nearest to x are the ones whose position is closest, so every answer is known.
        var points = Enumerable.Range(0, 12).Select(i => new Point
        {
            Id = $"f{i:D2}",
            Vector = [i, 0],
            Metadata = new JsonObject { ["genre"] = Genres[i % 3], ["year"] = 2000 + i },
        }).ToList();
        await client.UpsertAsync("films", points);

        var nearest = await client.SearchAsync("films", new SearchQuery { Vector = [4.2f, 0], TopK = 3 });
        Assert.Equal(["f04", "f05", "f03"], nearest.Select(r => r.Id));
        Assert.Equal(-0.2f, nearest[0].Score, 3);

        var filtered = await client.SearchAsync("films", new SearchQuery
        {
            Vector = [4.2f, 0],
            TopK = 2,
            Filter = Filter.And(Filter.Equal("genre", "drama"), Filter.Gte("year", 2005)),
            IncludeVector = true,
        });
        Assert.Equal(["f06", "f09"], filtered.Select(r => r.Id));
        Assert.Equal(new float[] { 6, 0 }, filtered[0].Vector);
        Assert.Equal("drama", filtered[0].Metadata!["genre"]!.GetValue<string>());

        var batch = await client.SearchBatchAsync("films",
        [
            new SearchQuery { Vector = [0, 0], TopK = 1 },
            new SearchQuery { Vector = [11, 0], TopK = 2, Filter = Filter.In("genre", "comedy", "horror") },
        ]);
        Assert.Equal(["f00"], batch[0].Select(r => r.Id));
        Assert.Equal(["f11", "f10"], batch[1].Select(r => r.Id));

        var recommended = await client.RecommendAsync("films", new RecommendQuery { Positive = ["f07", new float[] { 9, 0 }], TopK = 2, Filter = Filter.Not(Filter.Equal("genre", "drama")) });
        // The query is the mean of f07 and (9, 0), that is (8, 0); f07 is an example, f09 a drama.
        Assert.Equal(["f08", "f10"], recommended.Select(r => r.Id));

        var groups = await client.SearchGroupsAsync("films", new GroupsQuery { Vector = [0, 0], GroupBy = "genre", GroupSize = 2, Limit = 3 });
        Assert.Equal(["drama", "comedy", "horror"], groups.Select(g => g.Value!.GetValue<string>()));
        Assert.Equal(["f00", "f03"], groups[0].Results.Select(r => r.Id));

        var refused = await Assert.ThrowsAsync<PiramidApiException>(() => client.SearchAsync("films", new SearchQuery { Vector = [1, 0], TopK = 0 }));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-request"), (refused.Status, refused.Code));
        Assert.Contains("top_k", refused.Detail, StringComparison.Ordinal);
        Assert.Equal("/v1/collections/films/search", refused.Instance);
    }

    [Fact]
    public async Task SearchById_LeavesThePointOut_AndOffsetPagesThroughTheRanking()
    {
        using var client = platform.Client(await platform.NewTenantKeyAsync());
        await client.CreateCollectionAsync("line", new CollectionSettings { Dimension = 2, Metric = Metrics.Euclidean, Index = new IndexSettings { Type = "flat" } });
        await client.UpsertAsync("line", [.. Enumerable.Range(0, 10).Select(i => new Point { Id = $"p{i}", Vector = [i, 0] })]);

        // p4's nearest on the line: p3 and p5 (equally near), then p2 and p6; p4 itself is left out.
        var byId = await client.SearchAsync("line", SearchQuery.ByPoint("p4", topK: 4));
        Assert.Equal(["p2", "p3", "p5", "p6"], byId.Select(r => r.Id).Order(StringComparer.Ordinal));

        var first = await client.SearchAsync("line", new SearchQuery { Vector = [0, 0], TopK = 3 });
        var second = await client.SearchAsync("line", new SearchQuery { Vector = [0, 0], TopK = 3, Offset = 3 });
        Assert.Equal(["p0", "p1", "p2", "p3", "p4", "p5"], first.Concat(second).Select(r => r.Id));
        Assert.Equal(["p3", "p4"], (await client.SearchAsync("line", SearchQuery.ByPoint("p0", topK: 2, offset: 2))).Select(r => r.Id));

        var missing = await Assert.ThrowsAsync<PiramidApiException>(() => client.SearchAsync("line", SearchQuery.ByPoint("ghost")));
        Assert.Equal((HttpStatusCode.NotFound, "not-found"), (missing.Status, missing.Code));
        Assert.Contains("ghost", missing.Detail, StringComparison.Ordinal);
        var both = await Assert.ThrowsAsync<PiramidApiException>(() => client.SearchAsync("line", new SearchQuery { Id = "p1", Vector = [1, 0] }));
        Assert.Equal(HttpStatusCode.BadRequest, both.Status);
        Assert.Contains("'id'", both.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scroll_FollowsTheCursorOverSeveralPages_InIdOrder()
    {
        var recorder = new AttemptRecorder();
        using var http = new HttpClient(recorder);
        using var client = platform.Client(await platform.NewTenantKeyAsync(), http);
        await client.CreateCollectionAsync("many", new CollectionSettings { Dimension = 1 });
        var ids = Enumerable.Range(0, 25).Select(i => $"p{i:D3}").ToList();
        await client.UpsertAsync("many", [.. ids.Select((id, i) => new Point { Id = id, Vector = [i + 1], Metadata = new JsonObject { ["even"] = i % 2 == 0 } })]);

        var seen = new List<string>();
        await foreach (var point in client.ScrollAsync("many", new ScrollOptions { PageSize = 7 }))
        {
            seen.Add(point.Id);
        }

        Assert.Equal(ids, seen);
        Assert.Equal(4, recorder.Attempts.Count(a => a.Path.EndsWith("/scroll", StringComparison.Ordinal))); // 7 + 7 + 7 + 4

        var evens = new List<string>();
        await foreach (var point in client.ScrollAsync("many", new ScrollOptions { PageSize = 5, Filter = Filter.Equal("even", true), IncludeVector = true }))
        {
            Assert.NotNull(point.Vector);
            evens.Add(point.Id);
        }

        Assert.Equal(ids.Where((_, i) => i % 2 == 0), evens);
    }

    [Fact]
    public async Task Cancellation_StopsAScrollBetweenPages_AndNoFurtherRequestIsSent()
    {
        var recorder = new AttemptRecorder();
        using var http = new HttpClient(recorder);
        using var client = platform.Client(await platform.NewTenantKeyAsync(), http);
        await client.CreateCollectionAsync("many", new CollectionSettings { Dimension = 1 });
        await client.UpsertAsync("many", [.. Enumerable.Range(0, 10).Select(i => new Point { Id = $"p{i}", Vector = [i + 1] })]);

        using var cancel = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var point in client.ScrollAsync("many", new ScrollOptions { PageSize = 3 }, cancel.Token))
            {
                if (++seen == 3)
                {
                    cancel.Cancel(); // at the end of the first page
                }
            }
        });

        Assert.Equal(3, seen);
        Assert.Single(recorder.Attempts, a => a.Path.EndsWith("/scroll", StringComparison.Ordinal));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CountAsync("many", cancellationToken: cancel.Token));
        Assert.DoesNotContain(recorder.Attempts, a => a.Path.EndsWith("/count", StringComparison.Ordinal));
    }
}
