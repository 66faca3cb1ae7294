using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Piramid.ControlPlane.Hosting;
using Piramid.ControlPlane.Identity;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Identity;

/// <summary>
/// The control plane's identity composition on real Kestrel (127.0.0.1), built with the same extension
/// methods Program.cs calls, plus two probe endpoints protected by the policies.
/// </summary>
internal sealed class IdentityTestHost : IAsyncDisposable
{
    public const string AdminProbe = "/test/admin";
    public const string GatewayProbe = "/test/gateway";

    private IdentityTestHost(WebApplication app, Uri baseAddress, Uri issuer)
    {
        App = app;
        BaseAddress = baseAddress;
        Issuer = issuer;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public Uri Issuer { get; }

    public HttpClient Client { get; }

    /// <summary>Starts a host; <paramref name="issuer"/> defaults to its own address.</summary>
    public static async Task<IdentityTestHost> StartAsync(string connectionString, string keyFile, Uri? issuer = null)
    {
        var port = LoopbackPort.GetFree();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        issuer ??= baseAddress;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls(baseAddress.ToString());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ControlPlane"] = connectionString,
            ["Identity:Issuer"] = issuer.ToString(),
            ["Identity:SigningKeyFile"] = keyFile,
        });
        builder.Services.AddSingleton(TimeProvider.System); // The service defaults' clock, which this partial host leaves out.
        builder.AddControlPlaneDatabase();
        builder.AddControlPlaneIdentity();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapControlPlaneIdentity();
        app.MapGet(AdminProbe, () => "admin").RequireAuthorization(IdentityPolicies.PlatformAdmin);
        app.MapGet(GatewayProbe, () => "gateway").RequireAuthorization(IdentityPolicies.Gateway);
        await app.StartAsync();
        return new IdentityTestHost(app, baseAddress, issuer);
    }

    /// <summary>Runs <paramref name="action"/> with a scoped bootstrapper.</summary>
    public async Task<T> WithBootstrapperAsync<T>(Func<OperatorBootstrapper, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>());
    }

    /// <summary>POSTs a client credentials request.</summary>
    public Task<HttpResponseMessage> RequestClientCredentialsAsync(string clientId, string clientSecret) =>
        Client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        }));

    /// <summary>A client credentials access token, asserting success.</summary>
    public async Task<string> GetAccessTokenAsync(ClientCredentials credentials)
    {
        using var response = await RequestClientCredentialsAsync(credentials.ClientId, credentials.ClientSecret);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Bearer", json.RootElement.GetProperty("token_type").GetString());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>GETs <paramref name="path"/> with an optional bearer token and returns the status.</summary>
    public async Task<HttpStatusCode> GetStatusAsync(string path, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new("Bearer", accessToken);
        }

        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Reads a JSON document from the host.</summary>
    public async Task<JsonElement> GetJsonAsync(Uri uri) => await Client.GetFromJsonAsync<JsonElement>(uri);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
