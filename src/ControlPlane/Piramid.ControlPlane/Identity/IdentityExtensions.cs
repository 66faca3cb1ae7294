using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>Composition of the control plane's token issuer (OpenIddict server) and its local validation.</summary>
public static class IdentityExtensions
{
    /// <summary>Token endpoint path (relative to the issuer).</summary>
    public const string TokenEndpoint = "connect/token";

    /// <summary>Authorization endpoint path (relative to the issuer).</summary>
    public const string AuthorizationEndpoint = "connect/authorize";

    /// <summary>
    /// Adds OpenIddict (EF Core stores on <see cref="ControlPlaneDbContext"/>, server, local validation), the
    /// operator login cookie and the <see cref="IdentityPolicies"/>. Needs <c>AddControlPlaneDatabase</c>.
    /// Reads (or creates) the key file now, so a bad <c>Identity</c> section fails the start.
    /// </summary>
    public static WebApplicationBuilder AddControlPlaneIdentity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(IdentityOptions.Section);
        var options = section.Get<IdentityOptions>() ?? new IdentityOptions();
        var validator = new IdentityOptionsValidator();
        var validation = validator.Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(IdentityOptions), validation.Failures);
        }

        builder.Services.AddSingleton<IValidateOptions<IdentityOptions>>(validator);
        builder.Services.AddOptions<IdentityOptions>().Bind(section).ValidateOnStart();
        var keys = IdentityKeys.LoadOrCreate(options.SigningKeyFile);
        builder.Services.AddSingleton(keys);

        var issuer = options.Issuer!;
        // Plain http is tolerated only on loopback (local development and tests), never across a network.
        var loopbackHttp = issuer.Scheme == Uri.UriSchemeHttp && issuer.IsLoopback;

        builder.Services.AddOpenIddict()
            .AddCore(o =>
            {
                o.UseEntityFrameworkCore().UseDbContext<ControlPlaneDbContext>();
                o.ReplaceApplicationManager<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication, ClientSecretManager>();
            })
            .AddServer(o =>
            {
                o.SetIssuer(issuer);
                o.SetTokenEndpointUris(TokenEndpoint).SetAuthorizationEndpointUris(AuthorizationEndpoint);
                o.AllowClientCredentialsFlow().AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                o.RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess);
                o.SetAccessTokenLifetime(options.AccessTokenLifetime);
                // Plain signed JWTs: the gateway validates them with JwtBearer against the published JWKS.
                o.DisableAccessTokenEncryption();
                o.AddSigningKey(keys.SigningKey);
                o.AddEncryptionKey(keys.EncryptionKey);
                // An unknown client id costs the same hashing and gets the same answer as a wrong secret.
                o.AddEventHandler(UnknownClientHashing.Descriptor);
                o.AddEventHandler(UniformClientErrors.Descriptor);
                var aspNetCore = o.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough();
                if (loopbackHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.AddAudiences(options.Audience);
                o.UseAspNetCore();
            });

        builder.Services.AddAuthentication(o => o.DefaultScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .AddCookie(AccountEndpoints.Scheme, o =>
            {
                o.LoginPath = AccountEndpoints.LoginPath;
                o.Cookie.Name = "piramid.operator";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = loopbackHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                // Only needed for the hop from the login form to connect/authorize.
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                o.SlidingExpiration = false;
            });
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = loopbackHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(IdentityPolicies.PlatformAdmin, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(Claims.Role, Roles.PlatformAdmin))
            .AddPolicy(IdentityPolicies.Gateway, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(Claims.Role, IdentityClaims.GatewayRole));

        builder.Services.AddSingleton<ClientSecretChecks>();
        builder.Services.AddScoped(p => (ClientSecretManager)p.GetRequiredService<IOpenIddictApplicationManager>());
        builder.Services.AddScoped<OperatorPrincipalFactory>();
        builder.Services.AddScoped<OperatorBootstrapper>();
        return builder;
    }

    /// <summary>
    /// Maps the passthrough token and authorization endpoints and the operator login form. Discovery
    /// (<c>/.well-known/openid-configuration</c>) and the JWKS (<c>/.well-known/jwks</c>) are served by OpenIddict itself.
    /// </summary>
    public static IEndpointRouteBuilder MapControlPlaneIdentity(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(TokenEndpoint, ConnectEndpoints.TokenAsync).ExcludeFromDescription();
        endpoints.MapMethods(AuthorizationEndpoint, [HttpMethods.Get, HttpMethods.Post], ConnectEndpoints.AuthorizeAsync).ExcludeFromDescription();
        endpoints.MapGet(AccountEndpoints.LoginPath, AccountEndpoints.LoginForm).ExcludeFromDescription();
        endpoints.MapPost(AccountEndpoints.LoginPath, AccountEndpoints.LoginAsync).ExcludeFromDescription();
        return endpoints;
    }
}
