using System.Text.Json.Nodes;
using Piramid.Contracts;
using Piramid.Contracts.Routes;
using Piramid.TestKit;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// docs/openapi.json documents <c>Idempotency-Key</c> on exactly the data-plane routes of <see cref="IdempotentRoutes"/>,
/// with the route table's description and syntax, and the 422 it may answer.
/// </summary>
public sealed class OpenApiIdempotencyTests
{
    [Fact]
    public void EveryEngineRoute_DocumentsTheHeader_ExactlyWhenItTakesIt()
    {
        Assert.Equal(Engine.Idempotency.WriteIdempotency.MaxKeyLength, IdempotentRoutes.MaxKeyLength);
        foreach (var route in PublicRoutes.Engine)
        {
            var operation = OpenApiDocument.Document["paths"]![route.Template]![route.Method.ToLowerInvariant()]!;
            var header = (operation["parameters"] as JsonArray ?? [])
                .SingleOrDefault(p => (string?)p!["name"] == HeaderNames.IdempotencyKey && (string?)p!["in"] == "header");
            if (!IdempotentRoutes.All.Contains(route))
            {
                Assert.True(header is null, $"{route.Method} {route.Template} documents {HeaderNames.IdempotencyKey}");
                continue;
            }

            Assert.True(header is not null, $"{route.Method} {route.Template} lacks {HeaderNames.IdempotencyKey}");
            Assert.Equal(IdempotentRoutes.HeaderDescription, (string?)header["description"]);
            Assert.Equal(IdempotentRoutes.KeyPattern, (string?)header["schema"]!["pattern"]);
            Assert.Equal(IdempotentRoutes.MaxKeyLength, (int)header["schema"]!["maxLength"]!);
            Assert.NotNull(operation["responses"]!["422"]);
        }
    }
}
