using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts.Routes;
using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// Every request example of docs/openapi.json's data routes is a request a real engine accepts, sent in the
/// order a client would: the examples are generated from the Contracts types' docs, so a field renamed in the
/// engine's reader or a value it stopped accepting fails here, not in a client generated from the document.
/// </summary>
public sealed class DocumentedExamplesTests
{
    [Fact]
    public async Task EveryDataRoutesExample_IsAcceptedByTheEngine()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using var http = engine.CreateClient();

        // Writes that create first, deletes last; each path parameter names what the examples created.
        var routes = PublicRoutes.Engine
            .OrderBy(r => r == PublicRoutes.CollectionsCreate ? 0 : r == PublicRoutes.PointsUpsert ? 1 : r == PublicRoutes.PointsDelete ? 3 : r == PublicRoutes.CollectionsDelete ? 4 : 2)
            .ToList();
        foreach (var route in routes)
        {
            var operation = OpenApiDocument.Document["paths"]![route.Template]![route.Method.ToLowerInvariant()]!;
            var path = route.Template.Replace("{name}", "movies", StringComparison.Ordinal).Replace("{id}", "a1", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
            if (operation["requestBody"]?["content"]?["application/json"]?["example"] is { } example)
            {
                request.Content = new StringContent(example.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            }
            else
            {
                Assert.True(route.Body is null, $"{route} takes a body but its document has no example");
            }

            using var answer = await http.SendAsync(request);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, $"{route} with its documented example: {(int)answer.StatusCode} {body}");
            var documented = operation["responses"]!.AsObject().Select(r => r.Key);
            Assert.Contains(((int)answer.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), documented);
            if (route == PublicRoutes.Search)
            {
                // The example finds what the upsert example wrote.
                Assert.Contains("a1", JsonNode.Parse(body)!["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
            }
        }
    }
}
