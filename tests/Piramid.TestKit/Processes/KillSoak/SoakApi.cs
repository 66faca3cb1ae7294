using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>The few engine calls the soak makes, over one signed client.</summary>
internal sealed class SoakApi(HttpClient http)
{
    /// <summary>How a write ended, seen from the client.</summary>
    public enum Outcome
    {
        /// <summary>200: the engine promised durability.</summary>
        Acknowledged,

        /// <summary>No answer (the engine died mid-request or before it): may or may not have happened.</summary>
        Unknown,

        /// <summary>Any other status: a refusal the soak does not expect.</summary>
        Refused,
    }

    public async Task CreateAsync(SoakCollection collection, int dimension)
    {
        var (status, raw) = await SendAsync(HttpMethod.Put, $"/v1/collections/{collection.Name}", collection.ToRequest(dimension), CancellationToken.None);
        if (status is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"creating {collection.Name} answered {(int)status}: {raw}");
        }
    }

    /// <summary>Sends one operation; any transport failure is <see cref="Outcome.Unknown"/>.</summary>
    public async Task<(Outcome Outcome, string Detail)> WriteAsync(string collection, JsonObject body, bool isDelete)
    {
        try
        {
            var path = isDelete ? $"/v1/collections/{collection}/points/delete" : $"/v1/collections/{collection}/points";
            var (status, raw) = await SendAsync(HttpMethod.Post, path, body, CancellationToken.None);
            return status == HttpStatusCode.OK ? (Outcome.Acknowledged, raw) : (Outcome.Refused, $"{(int)status}: {raw}");
        }
        catch (HttpRequestException ex)
        {
            return (Outcome.Unknown, ex.Message);
        }
        catch (TaskCanceledException ex)
        {
            return (Outcome.Unknown, ex.Message);
        }
        catch (IOException ex)
        {
            return (Outcome.Unknown, ex.Message);
        }
    }

    /// <summary>The stored points among <paramref name="ids"/>, with vectors; absent ids are left out.</summary>
    public async Task<Dictionary<string, JsonNode>> GetManyAsync(string collection, IReadOnlyList<string> ids)
    {
        var found = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        const int MaxIdsPerGet = 1000; // docs/API.md, "Ids per get or delete".
        for (var start = 0; start < ids.Count; start += MaxIdsPerGet)
        {
            var chunk = new JsonArray([.. ids.Skip(start).Take(MaxIdsPerGet).Select(id => JsonValue.Create(id))]);
            var page = await OkAsync($"/v1/collections/{collection}/points/get", new JsonObject { ["ids"] = chunk, ["include_vector"] = true });
            AddPoints(found, page);
        }

        return found;
    }

    /// <summary>Every stored point of a collection, with vectors.</summary>
    public async Task<Dictionary<string, JsonNode>> ScrollAllAsync(string collection)
    {
        var all = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await OkAsync($"/v1/collections/{collection}/scroll", new JsonObject { ["limit"] = 1000, ["cursor"] = cursor, ["include_vector"] = true });
            AddPoints(all, page);
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return all;
    }

    private static void AddPoints(Dictionary<string, JsonNode> into, JsonNode page)
    {
        foreach (var point in page["points"]!.AsArray())
        {
            var id = point!["id"]!.GetValue<string>();
            if (!into.TryAdd(id, point))
            {
                throw new InvalidOperationException($"point {id} was listed twice");
            }
        }
    }

    private async Task<JsonNode> OkAsync(string path, JsonObject body)
    {
        var (status, raw) = await SendAsync(HttpMethod.Post, path, body, CancellationToken.None);
        return status == HttpStatusCode.OK
            ? JsonNode.Parse(raw) ?? throw new InvalidOperationException($"{path} answered an empty body")
            : throw new InvalidOperationException($"{path} answered {(int)status}: {raw}");
    }

    private async Task<(HttpStatusCode Status, string Raw)> SendAsync(HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body.ToJsonString(JsonOptions), Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
