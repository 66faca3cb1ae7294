using System.Text.Json.Nodes;
using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;

namespace Piramid.Terraform.Provider.Resources;

/// <summary>
/// <c>piramid_collection</c>: a collection of a tenant, through a tenant admin API key (the gateway takes only keys and
/// members' tokens on data paths, not operator tokens). Only <c>index.ef</c> changes in place
/// (<c>PATCH /v1/collections/{name}</c>); every other setting shapes what is stored and requires replacement. Deleting
/// a collection that holds points needs <c>force_destroy</c>.
/// </summary>
public sealed class CollectionResource(PiramidProvider provider) : ApiResource(provider)
{
    /// <summary>The attributes of <c>index</c>.</summary>
    public static readonly IReadOnlyList<TfAttribute> IndexAttributes =
    [
        new("type", TfType.String, TfMode.OptionalComputed, "hnsw (default) or flat.") { RequiresReplace = true },
        new("m", TfType.Number, TfMode.OptionalComputed, "HNSW links per node, 2 to 128 (default 16).") { RequiresReplace = true },
        new("ef_construction", TfType.Number, TfMode.OptionalComputed, "HNSW build candidate list, 4 to 4,096 (default 200).") { RequiresReplace = true },
        new("ef", TfType.Number, TfMode.OptionalComputed, "Default search candidate list, 1 to 10,000 (default 64). Changes in place."),
    ];

    private static readonly TfSchema CollectionSchema = new(
    [
        new TfAttribute("id", TfType.String, TfMode.Computed, "<tenant_id>/<name>."),
        new TfAttribute("tenant_id", TfType.String, TfMode.Required, "The tenant; the provider's api_key must be an admin key of it.") { RequiresReplace = true },
        new TfAttribute("name", TfType.String, TfMode.Required, "Collection name: ^[a-z0-9][a-z0-9_-]{0,62}$.") { RequiresReplace = true },
        new TfAttribute("dimension", TfType.Number, TfMode.Required, "Vector length, 1 to 20,000 (the plan may lower it).") { RequiresReplace = true },
        new TfAttribute("metric", TfType.String, TfMode.OptionalComputed, "cosine (default), dot or euclidean.") { RequiresReplace = true },
        new TfAttribute("index", IndexAttributes, TfMode.OptionalComputed, "The index: { type, m, ef_construction, ef }."),
        new TfAttribute("quantization", TfType.String, TfMode.OptionalComputed, "none (default) or int8.") { RequiresReplace = true },
        new TfAttribute("schema", TfType.Map(TfType.String), TfMode.Optional, "Types of metadata fields: keyword, text, integer, float or boolean (at most 100).") { RequiresReplace = true },
        new TfAttribute("force_destroy", TfType.Bool, TfMode.Optional, "Allow destroying (or replacing) the collection while it holds points."),
    ], "A collection of vectors with its index settings and metadata schema.");

    /// <inheritdoc />
    public override string TypeName => "piramid_collection";

    /// <inheritdoc />
    public override TfSchema Schema => CollectionSchema;

    /// <inheritdoc />
    protected override string Noun => "collection";

    /// <summary>The state of a collection from its API form; <paramref name="known"/> keeps what the API does not echo.</summary>
    public static TfValue FromApi(JsonNode info, string tenantId, TfValue known)
    {
        var index = info["index"];
        var schema = info["schema"] is JsonObject fields && fields.Count > 0
            ? TfValue.Object(fields.ToDictionary(f => f.Key, f => TfValue.String((string)f.Value!), StringComparer.Ordinal))
            : known.HasValue && known["schema"].HasValue ? known["schema"] : TfValue.Null;
        return TfValue.Object(new Dictionary<string, TfValue>
        {
            ["id"] = TfValue.String($"{tenantId}/{(string)info["name"]!}"),
            ["tenant_id"] = TfValue.String(tenantId),
            ["name"] = TfValue.String((string)info["name"]!),
            ["dimension"] = TfValue.Number(info["dimension"]!.GetValue<double>()),
            ["metric"] = TfValue.String((string)info["metric"]!),
            ["index"] = TfValue.Object(new Dictionary<string, TfValue>
            {
                ["type"] = TfValue.StringOrNull((string?)index?["type"]),
                ["m"] = TfValue.NumberOrNull(index?["m"]?.GetValue<double>()),
                ["ef_construction"] = TfValue.NumberOrNull(index?["ef_construction"]?.GetValue<double>()),
                ["ef"] = TfValue.NumberOrNull(index?["ef"]?.GetValue<double>()),
            }),
            ["quantization"] = TfValue.String((string)info["quantization"]!),
            ["schema"] = schema,
            ["force_destroy"] = known.HasValue ? known["force_destroy"] : TfValue.Null,
        });
    }

    /// <inheritdoc />
    protected override PiramidApi? Api(DiagnosticList diagnostics)
    {
        var api = base.Api(diagnostics);
        if (api is { Credentials.IsOperator: true })
        {
            diagnostics.Error("piramid_collection needs a tenant admin key",
                "Collections are managed with the tenant's admin API key: configure a provider (an alias) with api_key = an admin key of the tenant (e.g. piramid_api_key.<name>.key) and set provider = piramid.<alias> on the collection. Operator tokens are not accepted on a tenant's data paths.");
            return null;
        }

        return api;
    }

    /// <inheritdoc />
    protected override async Task<TfValue> CreateAsync(PiramidApi api, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        var tenantId = planned.GetString("tenant_id")!;
        try
        {
            await api.GetAsync($"/v1/tenants/{Uri.EscapeDataString(tenantId)}", ct);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
            diagnostics.Error("Wrong tenant", $"The provider's api_key is not a key of tenant '{tenantId}' (or the tenant does not exist).", AttributePath.Root("tenant_id"));
            return TfValue.Null;
        }

        var body = new JsonObject { ["dimension"] = (long)planned.GetNumber("dimension")! };
        if (planned.GetString("metric") is { } metric)
        {
            body["metric"] = metric;
        }

        if (planned.GetString("quantization") is { } quantization)
        {
            body["quantization"] = quantization;
        }

        if (planned["index"].HasValue)
        {
            var index = new JsonObject();
            foreach (var (name, value) in planned["index"].Attributes)
            {
                if (value.Kind == TfKind.String)
                {
                    index[name] = value.AsString();
                }
                else if (value.Kind == TfKind.Number)
                {
                    index[name] = (long)value.AsNumber();
                }
            }

            body["index"] = index;
        }

        if (planned["schema"].HasValue)
        {
            body["schema"] = new JsonObject(planned["schema"].Attributes.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value.AsString()))));
        }

        var created = await api.PutAsync(Path(planned.GetString("name")!), body, ct);
        return FromApi(created!, tenantId, planned);
    }

    /// <inheritdoc />
    protected override async Task<TfValue> UpdateAsync(PiramidApi api, TfValue prior, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        // index.ef changes through the engine; force_destroy lives in the state alone.
        var ef = planned["index"].HasValue ? planned["index"].GetNumber("ef") : null;
        var priorEf = prior["index"].HasValue ? prior["index"].GetNumber("ef") : null;
        if (ef is double newEf && newEf != priorEf)
        {
            var body = new JsonObject { ["index"] = new JsonObject { ["ef"] = (long)newEf } };
            var updated = await api.PatchAsync(Path(prior.GetString("name")!), body, ct);
            return FromApi(updated!, prior.GetString("tenant_id")!, planned);
        }

        return prior.With("force_destroy", planned["force_destroy"]);
    }

    /// <inheritdoc />
    protected override async Task DeleteAsync(PiramidApi api, TfValue prior, DiagnosticList diagnostics, CancellationToken ct)
    {
        var name = prior.GetString("name")!;
        try
        {
            var info = await api.GetAsync(Path(name), ct);
            var count = info?["count"]?.GetValue<long>() ?? 0;
            if (count > 0 && prior.GetBool("force_destroy") != true)
            {
                diagnostics.Error("Collection holds points",
                    $"Collection '{name}' holds {count} point(s). Set force_destroy = true (and apply) to allow deleting it with its data.",
                    AttributePath.Root("force_destroy"));
                return;
            }

            await api.DeleteAsync(Path(name), ct);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
        }
    }

    /// <inheritdoc />
    protected override async Task<TfValue?> ReadAsync(PiramidApi api, TfValue state, CancellationToken ct)
    {
        try
        {
            var info = await api.GetAsync(Path(state.GetString("name")!), ct);
            return FromApi(info!, state.GetString("tenant_id")!, state);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    protected override async Task<TfValue?> ImportAsync(PiramidApi api, string id, DiagnosticList diagnostics, CancellationToken ct)
    {
        var parts = id.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
        {
            diagnostics.Error("Invalid import id", $"Import a collection as '<tenant_id>/<name>'; got '{id}'.");
            return null;
        }

        try
        {
            await api.GetAsync($"/v1/tenants/{Uri.EscapeDataString(parts[0])}", ct);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
            diagnostics.Error("Wrong tenant", $"The provider's api_key is not a key of tenant '{parts[0]}'.");
            return null;
        }

        return await ReadAsync(api, TfValue.Object(new Dictionary<string, TfValue>
        {
            ["tenant_id"] = TfValue.String(parts[0]),
            ["name"] = TfValue.String(parts[1]),
        }), ct);
    }

    private static string Path(string name) => $"/v1/collections/{Uri.EscapeDataString(name)}";
}
