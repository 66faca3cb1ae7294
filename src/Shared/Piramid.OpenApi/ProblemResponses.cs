using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.Contracts.Routes;

namespace Piramid.OpenApi;

/// <summary>
/// The error answers, from <see cref="ProblemCatalog"/>: the <c>Problem</c> schema (its <c>type</c> an enum of the
/// catalogue's types), one <c>components/responses</c> entry per status naming the types answered with it, and
/// which statuses an operation documents.
/// </summary>
public static class ProblemResponses
{
    public const string MediaType = "application/problem+json";

    /// <summary>Statuses of the request line and the connection, not of an operation: in every document, on no operation.</summary>
    private static readonly int[] NotPerOperation = [405, 501, 505];

    /// <summary>The name of the shared response of <paramref name="status"/>.</summary>
    public static string Name(int status) => "Problem" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The <c>Problem</c> schema.</summary>
    public static JsonObject Schema() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details, one shape from every process: `type` is stable and has one `title`; `detail` says what to change; `instance` is the path the client called; `request_id` equals the `X-Request-Id` header.",
        ["required"] = new JsonArray("type", "title", "status"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject
            {
                ["type"] = "string",
                ["format"] = "uri",
                ["enum"] = new JsonArray([.. ProblemCatalog.All.Select(k => JsonValue.Create(k.Type))]),
            },
            ["title"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. ProblemCatalog.All.Select(k => k.Title).Distinct().Select(t => JsonValue.Create(t))]) },
            ["status"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 400, ["maximum"] = 599 },
            ["detail"] = new JsonObject { ["type"] = "string", ["description"] = "What went wrong with this request, naming the field." },
            ["instance"] = new JsonObject { ["type"] = "string", ["description"] = "The path the client called." },
            ["trace_id"] = new JsonObject { ["type"] = "string", ["description"] = "W3C trace id of the call." },
            ["request_id"] = new JsonObject { ["type"] = "string", ["description"] = "The `X-Request-Id` of the answer." },
        },
    };

    /// <summary>One response per status of the catalogue, its description the titles answered with that status.</summary>
    public static JsonObject Components()
    {
        var responses = new JsonObject();
        foreach (var group in ProblemCatalog.All.GroupBy(k => k.Status).OrderBy(g => g.Key))
        {
            responses[Name(group.Key)] = new JsonObject
            {
                ["description"] = string.Join("; ", group.Select(k => $"{k.Title} ({k.Type})")),
                ["content"] = new JsonObject
                {
                    [MediaType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } },
                },
            };
        }

        return responses;
    }

    /// <summary>
    /// The statuses <paramref name="route"/> can answer with, by what it does: a credential can be refused
    /// (401, 403), a path parameter can name nothing (404), a body can be too large or not JSON (411, 413, 415), a
    /// write can conflict or reuse an idempotency key (409, 422), an engine write can run out of room (507).
    /// </summary>
    public static IEnumerable<int> For(PublicRoute route)
    {
        var engine = route.Service == RouteService.Engine;
        var write = route.Units == UnitKind.Write;
        return ProblemCatalog.All.Select(k => k.Status).Distinct().Order().Where(status => status switch
        {
            _ when NotPerOperation.Contains(status) => false,
            401 or 403 => route.Role is not null,
            404 => route.Template.Contains('{', StringComparison.Ordinal),
            411 or 413 or 415 => route.Body is not null,
            409 => write,
            422 => route.Idempotent,
            507 => engine && write,
            _ => true,
        });
    }
}
