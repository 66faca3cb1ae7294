using System.Globalization;
using System.Text.Json.Nodes;
using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;

namespace Piramid.Terraform.Provider.Resources;

/// <summary>
/// <c>piramid_api_key</c>: a tenant's API key. Name, scope and expiry change in place (<c>PATCH .../api-keys/{key_id}</c>:
/// same id, same secret); the tenant and the role are fixed, so changing them replaces the key (a new secret, then the
/// old one revoked). The secret is known only at create.
/// </summary>
public sealed class ApiKeyResource(PiramidProvider provider) : ApiResource(provider)
{
    private static readonly TfSchema KeySchema = new(
    [
        new TfAttribute("id", TfType.String, TfMode.Computed, "The key id."),
        new TfAttribute("tenant_id", TfType.String, TfMode.Required, "The tenant the key belongs to.") { RequiresReplace = true },
        new TfAttribute("name", TfType.String, TfMode.Required, "A name, 1 to 128 characters; changes in place."),
        new TfAttribute("role", TfType.String, TfMode.Required, "read_only, read_write or admin. Fixed: a change replaces the key.") { RequiresReplace = true },
        new TfAttribute("collections", TfType.Set(TfType.String), TfMode.Optional, "The collections the key is limited to (at most 100); unset or empty: all. Changes in place."),
        new TfAttribute("expires_at", TfType.String, TfMode.Optional, "RFC 3339 time after which the key stops working; changes in place (unset: never)."),
        new TfAttribute("key", TfType.String, TfMode.Computed, "The secret (pk_...), known only when the key is created; null after an import.") { Sensitive = true },
    ], "An API key of a tenant, optionally limited to collections. Name, collections and expires_at change in place; a new tenant or role replaces the key (a new secret).");

    /// <inheritdoc />
    public override string TypeName => "piramid_api_key";

    /// <inheritdoc />
    public override TfSchema Schema => KeySchema;

    /// <inheritdoc />
    protected override string Noun => "API key";

    /// <inheritdoc />
    public override void Validate(TfValue config, DiagnosticList diagnostics)
    {
        if (config.GetString("role") is { } role && role is not ("read_only" or "read_write" or "admin"))
        {
            diagnostics.Error("Invalid role", $"'role' must be read_only, read_write or admin; got '{role}'.", Protocol.Diagnostics.AttributePath.Root("role"));
        }

        if (config.GetString("expires_at") is { } expires && !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            diagnostics.Error("Invalid expires_at", $"'expires_at' must be an RFC 3339 time such as 2027-01-31T00:00:00Z; got '{expires}'.", Protocol.Diagnostics.AttributePath.Root("expires_at"));
        }
    }

    /// <inheritdoc />
    protected override async Task<TfValue> CreateAsync(PiramidApi api, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["name"] = planned.GetString("name"),
            ["role"] = planned.GetString("role"),
            ["collections"] = new JsonArray([.. Collections(planned).Select(c => (JsonNode)JsonValue.Create(c))]),
        };
        if (planned.GetString("expires_at") is { } expires)
        {
            body["expires_at"] = expires;
        }

        var created = (await api.PostAsync($"/v1/tenants/{Tenant(planned)}/api-keys", body, ct))!;
        return FromApi(created, planned)!.With("key", TfValue.String((string)created["key"]!));
    }

    /// <inheritdoc />
    protected override async Task<TfValue> UpdateAsync(PiramidApi api, TfValue prior, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        // Every changeable field is sent: a null expires_at removes the expiry, an empty scope means all collections.
        var body = new JsonObject
        {
            ["name"] = planned.GetString("name"),
            ["collections"] = new JsonArray([.. Collections(planned).Select(c => (JsonNode)JsonValue.Create(c))]),
            ["expires_at"] = planned.GetString("expires_at"),
        };
        var updated = (await api.PatchAsync($"/v1/tenants/{Tenant(prior)}/api-keys/{Uri.EscapeDataString(prior.GetString("id")!)}", body, ct))!;
        return FromApi(updated, planned)!.With("key", prior["key"]);
    }

    /// <inheritdoc />
    protected override async Task DeleteAsync(PiramidApi api, TfValue prior, DiagnosticList diagnostics, CancellationToken ct)
    {
        try
        {
            await api.DeleteAsync($"/v1/tenants/{Tenant(prior)}/api-keys/{Uri.EscapeDataString(prior.GetString("id")!)}", ct);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
        }
    }

    /// <inheritdoc />
    protected override async Task<TfValue?> ReadAsync(PiramidApi api, TfValue state, CancellationToken ct)
    {
        var found = await FindAsync(api, state.GetString("tenant_id")!, state.GetString("id")!, ct);
        return found is null ? null : FromApi(found, state)?.With("key", state["key"]);
    }

    /// <inheritdoc />
    protected override async Task<TfValue?> ImportAsync(PiramidApi api, string id, DiagnosticList diagnostics, CancellationToken ct)
    {
        var parts = id.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
        {
            diagnostics.Error("Invalid import id", $"Import a key as '<tenant_id>/<key_id>'; got '{id}'.");
            return null;
        }

        var found = await FindAsync(api, parts[0], parts[1], ct);
        return found is null ? null : FromApi(found, TfValue.Null);
    }

    /// <summary>
    /// The state from the API's key. <paramref name="known"/> (the plan or the prior state) keeps the user's spelling
    /// of <c>expires_at</c> when it is the same instant, so a second plan is empty.
    /// </summary>
    private static TfValue? FromApi(JsonNode key, TfValue known)
    {
        if (key["revoked_at"] is JsonValue)
        {
            return null;
        }

        var expires = (string?)key["expires_at"];
        var knownExpires = known.HasValue ? known.GetString("expires_at") : null;
        if (expires is not null && knownExpires is not null && SameInstant(expires, knownExpires))
        {
            expires = knownExpires;
        }

        var collections = key["collections"]?.AsArray().Select(c => TfValue.String((string)c!)).ToList() ?? [];
        var knownCollections = known.HasValue ? known["collections"] : TfValue.Null;
        return TfValue.Object(new Dictionary<string, TfValue>
        {
            ["id"] = TfValue.String((string)key["id"]!),
            ["tenant_id"] = TfValue.String((string)key["tenant_id"]!),
            ["name"] = TfValue.String((string)key["name"]!),
            ["role"] = TfValue.String((string)key["role"]!),

            // Unset and empty both mean "all collections": keep the configuration's spelling.
            ["collections"] = collections.Count == 0 && !knownCollections.HasValue ? knownCollections : TfValue.List(collections),
            ["expires_at"] = TfValue.StringOrNull(expires),
            ["key"] = TfValue.Null,
        });
    }

    private static async Task<JsonNode?> FindAsync(PiramidApi api, string tenantId, string keyId, CancellationToken ct)
    {
        try
        {
            var list = await api.GetAsync($"/v1/tenants/{Uri.EscapeDataString(tenantId)}/api-keys", ct);
            return list?["api_keys"]?.AsArray().FirstOrDefault(k => (string?)k?["id"] == keyId);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
            return null;
        }
    }

    private static bool SameInstant(string a, string b) =>
        DateTimeOffset.TryParse(a, CultureInfo.InvariantCulture, DateTimeStyles.None, out var x)
        && DateTimeOffset.TryParse(b, CultureInfo.InvariantCulture, DateTimeStyles.None, out var y) && x == y;

    private static IEnumerable<string> Collections(TfValue value) =>
        value["collections"].HasValue ? value["collections"].Items.Select(i => i.AsString()) : [];

    private static string Tenant(TfValue value) => Uri.EscapeDataString(value.GetString("tenant_id")!);
}
