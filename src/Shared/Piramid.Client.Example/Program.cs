// Create a collection, upsert points with metadata, search with a filter.
// PIRAMID_URL and PIRAMID_API_KEY (an admin key), or GATEWAY_URL and DEMO_API_KEY from .piramid/local.json.
using System.Globalization;
using System.Text.Json.Nodes;
using Piramid.Client;
using Piramid.Client.Models;

var url = Environment.GetEnvironmentVariable("PIRAMID_URL") ?? Environment.GetEnvironmentVariable("GATEWAY_URL");
var key = Environment.GetEnvironmentVariable("PIRAMID_API_KEY") ?? Environment.GetEnvironmentVariable("DEMO_API_KEY");
if (url is null || key is null)
{
    await Console.Error.WriteLineAsync("set PIRAMID_URL and PIRAMID_API_KEY (or GATEWAY_URL and DEMO_API_KEY)");
    return 2;
}

using var client = new PiramidClient(new PiramidClientOptions { BaseAddress = new Uri(url), ApiKey = key });

// Creating it again with the same settings answers the existing collection, so the example can run twice.
var collection = await client.CreateCollectionAsync("quickstart-books", new CollectionSettings
{
    Dimension = 3,
    Metric = Metrics.Cosine,
    Schema = new JsonObject { ["genre"] = "keyword", ["year"] = "integer" },
});
Console.WriteLine($"collection {collection.Name}: dimension {collection.Dimension}, metric {collection.Metric}");

var written = await client.UpsertAsync("quickstart-books",
[
    new Point { Id = "dune", Vector = [0.9f, 0.1f, 0.3f], Metadata = new JsonObject { ["title"] = "Dune", ["genre"] = "sf", ["year"] = 1965 } },
    new Point { Id = "emma", Vector = [0.2f, 0.8f, 0.4f], Metadata = new JsonObject { ["title"] = "Emma", ["genre"] = "romance", ["year"] = 1815 } },
    new Point { Id = "solaris", Vector = [0.8f, 0.2f, 0.35f], Metadata = new JsonObject { ["title"] = "Solaris", ["genre"] = "sf", ["year"] = 1961 } },
    new Point { Id = "hyperion", Vector = [0.7f, 0.3f, 0.1f], Metadata = new JsonObject { ["title"] = "Hyperion", ["genre"] = "sf", ["year"] = 1989 } },
]);
Console.WriteLine($"upserted {written.Count} points (lsn {written.Lsn})");

var results = await client.SearchAsync("quickstart-books", new SearchQuery
{
    Vector = [0.85f, 0.15f, 0.3f],
    TopK = 3,
    Filter = Filter.And(Filter.Equal("genre", "sf"), Filter.Lt("year", 1980)),
});
foreach (var result in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Score:F4}  {result.Id}  {result.Metadata!["title"]} ({result.Metadata["year"]})"));
}

return 0;
