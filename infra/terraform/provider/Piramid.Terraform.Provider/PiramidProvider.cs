using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Resources;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;
using Piramid.Terraform.Provider.DataSources;
using Piramid.Terraform.Provider.Resources;

namespace Piramid.Terraform.Provider;

/// <summary>
/// The <c>piramid</c> provider: an endpoint and either operator client credentials or a tenant admin API key, each
/// also from a <c>PIRAMID_*</c> environment variable. Resources reach the API through <see cref="Api"/>.
/// </summary>
public sealed class PiramidProvider : IProvider, IDisposable
{
    private readonly Func<string, string?> _environment;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private PiramidApi? _api;
    private bool _unknownConfig;

    /// <summary>Creates the provider; <paramref name="environment"/> reads environment variables.</summary>
    public PiramidProvider(Func<string, string?> environment, HttpClient http, TimeProvider time)
    {
        _environment = environment;
        _http = http;
        _time = time;
        Resources = [new PlanResource(this), new TenantResource(this), new ApiKeyResource(this), new CollectionResource(this), new MemberResource(this), new BackupScheduleResource(this)];
        DataSources = [new PlansDataSource(this), new TenantDataSource(this), new CollectionDataSource(this)];
    }

    /// <inheritdoc />
    public void Dispose() => _api?.Dispose();

    /// <inheritdoc />
    public TfSchema ConfigSchema { get; } = new(
    [
        new TfAttribute("endpoint", TfType.String, TfMode.Optional, "The gateway's URL, e.g. http://127.0.0.1:8080 (or PIRAMID_ENDPOINT)."),
        new TfAttribute("client_id", TfType.String, TfMode.Optional, "Operator client id (or PIRAMID_CLIENT_ID)."),
        new TfAttribute("client_secret", TfType.String, TfMode.Optional, "Operator client secret (or PIRAMID_CLIENT_SECRET).") { Sensitive = true },
        new TfAttribute("api_key", TfType.String, TfMode.Optional, "A tenant's admin API key without collection scope, instead of operator credentials (or PIRAMID_API_KEY).") { Sensitive = true },
    ], "Piramid, a multi-tenant vector database: tenants, plans, API keys, members, collections and backup schedules.");

    /// <inheritdoc />
    public IReadOnlyList<IResource> Resources { get; }

    /// <inheritdoc />
    public IReadOnlyList<IDataSource> DataSources { get; }

    /// <inheritdoc />
    public void Validate(TfValue config, DiagnosticList diagnostics)
    {
        if (config.GetString("endpoint") is { } endpoint && !IsHttpUrl(endpoint))
        {
            diagnostics.Error("Invalid endpoint", $"'{endpoint}' is not an http or https URL.", AttributePath.Root("endpoint"));
        }

        if (config["api_key"].HasValue && (config["client_id"].HasValue || config["client_secret"].HasValue))
        {
            diagnostics.Error("Conflicting credentials", "Set either api_key or client_id and client_secret, not both.", AttributePath.Root("api_key"));
        }
    }

    /// <inheritdoc />
    public void Configure(TfValue config, DiagnosticList diagnostics)
    {
        if (config.HasValue && config.Attributes.Values.Any(v => v.IsUnknown))
        {
            // Configured from a resource created in this run: plans of new objects need no API call; the apply
            // configures the provider again with the values.
            _unknownConfig = true;
            return;
        }

        var endpoint = config.GetString("endpoint") ?? _environment("PIRAMID_ENDPOINT");
        var apiKey = config.GetString("api_key") ?? _environment("PIRAMID_API_KEY");
        var clientId = config.GetString("client_id") ?? _environment("PIRAMID_CLIENT_ID");
        var clientSecret = config.GetString("client_secret") ?? _environment("PIRAMID_CLIENT_SECRET");
        if (config.GetString("client_id") is not null)
        {
            apiKey = config.GetString("api_key");
        }
        else if (config.GetString("api_key") is not null)
        {
            clientId = clientSecret = null;
        }

        if (endpoint is null || !IsHttpUrl(endpoint))
        {
            diagnostics.Error("Missing endpoint", "Set endpoint in the provider block or PIRAMID_ENDPOINT to the gateway's URL.", AttributePath.Root("endpoint"));
            return;
        }

        if (string.IsNullOrEmpty(apiKey) && (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret)))
        {
            diagnostics.Error("Missing credentials",
                "Set client_id and client_secret (operator client credentials) or api_key (a tenant admin key), in the provider block or as PIRAMID_CLIENT_ID, PIRAMID_CLIENT_SECRET or PIRAMID_API_KEY.",
                AttributePath.Root("client_id"));
            return;
        }

        var credentials = string.IsNullOrEmpty(apiKey)
            ? new PiramidCredentials(new Uri(endpoint), clientId, clientSecret, null)
            : new PiramidCredentials(new Uri(endpoint), null, null, apiKey);
        _api?.Dispose();
        _api = new PiramidApi(credentials, _http, _time);
    }

    /// <summary>The configured API, or null with a diagnostic when the provider has none yet.</summary>
    public PiramidApi? Api(DiagnosticList diagnostics)
    {
        if (_api is null)
        {
            diagnostics.Error("Provider not configured",
                _unknownConfig
                    ? "The provider's configuration depends on values known only after apply; this step needs them now. Apply the resources it depends on first (terraform apply -target=...)."
                    : "The provider block has no usable endpoint and credentials.");
        }

        return _api;
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
