using System.Text.Json;
using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Hosting;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// <c>Piramid.ControlPlane portal-client</c> (run by <c>./piramid up</c> at every start): registers the portal's public
/// client <see cref="ClientId"/> with the redirect URI <c>&lt;Identity:Issuer&gt;callback</c> and the post-logout URI
/// <c>&lt;Identity:Issuer&gt;</c> (the issuer is the gateway's public URL, which serves the portal), or updates them
/// when the gateway's address changed. Prints the client as JSON.
/// </summary>
public static class PortalClient
{
    /// <summary>The portal's client id (the app, portal/, uses the same).</summary>
    public const string ClientId = "piramid-portal";

    /// <summary>The app's route that receives the authorization code.</summary>
    public const string CallbackPath = "callback";

    /// <summary>The portal's redirect and post-logout URIs for an issuer (which ends with a slash).</summary>
    public static (Uri Redirect, Uri PostLogout) Uris(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        // The portal is at the issuer's root: without a trailing slash, a relative URI would replace its last segment.
        var root = issuer.AbsoluteUri.EndsWith('/') ? issuer : new Uri(issuer.AbsoluteUri + "/");
        return (new Uri(root, CallbackPath), root);
    }

    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = ControlPlaneApp.Build(args);
        var (redirect, postLogout, changed) = await EnsureAsync(app.Services);
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["client_id"] = ClientId,
            ["redirect_uri"] = redirect.ToString(),
            ["post_logout_redirect_uri"] = postLogout.ToString(),
            ["changed"] = changed,
        }));
        return 0;
    }

    /// <summary>Registers or updates the client for the configured issuer; <c>Changed</c> is false when it was already so.</summary>
    public static async Task<(Uri Redirect, Uri PostLogout, bool Changed)> EnsureAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var issuer = scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value.Issuer!;
        var (redirect, postLogout) = Uris(issuer);
        var changed = await scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>()
            .EnsurePublicClientAsync(ClientId, "Piramid portal", [redirect], [postLogout], cancellationToken);
        return (redirect, postLogout, changed);
    }
}
