using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
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

    /// <summary>Revocation endpoint (RFC 7009): the portal revokes its refresh token there at sign-out.</summary>
    public const string RevocationEndpoint = "connect/revocation";

    /// <summary>End-session endpoint: clears the sign-in cookie and goes back to the portal.</summary>
    public const string EndSessionEndpoint = "connect/logout";

    /// <summary>Authorization endpoint path (relative to the issuer).</summary>
    public const string AuthorizationEndpoint = "connect/authorize";

    /// <summary>
    /// Adds OpenIddict (EF Core stores on <see cref="ControlPlaneDbContext"/>, server, local validation), the
    /// operator login cookie and the <see cref="IdentityPolicies"/>. Needs <c>AddControlPlaneDatabase</c>.
    /// The <c>Identity</c> section is validated now; the key file is read (or created) when the host starts
    /// (<see cref="IdentityKeyStore"/>), never during registration.
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
        builder.Services.AddSingleton<IdentityKeyStore>();
        builder.Services.AddHostedService<IdentityKeyLoader>();
        // The server's keys come from the store when OpenIddict's options are first built (at start), not now.
        builder.Services.AddOptions<OpenIddictServerOptions>().Configure<IdentityKeyStore>((o, store) =>
        {
            o.SigningCredentials.Add(new SigningCredentials(store.Keys.SigningKey, SecurityAlgorithms.RsaSha256));
            o.EncryptionCredentials.Add(new EncryptingCredentials(store.Keys.EncryptionKey, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        });

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
                o.SetTokenEndpointUris(TokenEndpoint).SetAuthorizationEndpointUris(AuthorizationEndpoint)
                    .SetRevocationEndpointUris(RevocationEndpoint).SetEndSessionEndpointUris(EndSessionEndpoint);
                o.AllowClientCredentialsFlow().AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                o.RequireProofKeyForCodeExchange();
                // S256 only: "plain" sends the verifier itself, which protects nothing if the code leaks.
                o.Configure(server =>
                {
                    server.CodeChallengeMethods.Clear();
                    server.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                });
                o.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess, Scopes.Profile, Scopes.Email);
                // Refresh tokens roll (each use returns a new one); a used one is refused at once, and its reuse
                // revokes the whole chain, instead of OpenIddict's default 30 s of grace.
                o.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                o.SetAccessTokenLifetime(options.AccessTokenLifetime);
                // Plain signed JWTs: the gateway validates them with JwtBearer against the published JWKS.
                o.DisableAccessTokenEncryption();
                // An unknown client id costs the same hashing and gets the same answer as a wrong secret.
                o.AddEventHandler(UnknownClientHashing.Descriptor);
                o.AddEventHandler(UniformClientErrors.Descriptor);
                var aspNetCore = o.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
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
                o.Cookie.Name = "piramid.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = loopbackHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                // Only needed for the hop from the login form to connect/authorize.
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                o.SlidingExpiration = false;
                // A relative Location: behind the gateway, the host this process sees is not the one the browser uses.
                o.Events.OnRedirectToLogin = context =>
                {
                    var target = new Uri(context.RedirectUri, UriKind.RelativeOrAbsolute);
                    context.Response.Redirect(target.IsAbsoluteUri ? target.PathAndQuery : context.RedirectUri);
                    return Task.CompletedTask;
                };
            })
            // Between a right password and the TOTP code: names the user, good for nothing else, 5 minutes.
            .AddCookie(AccountEndpoints.TwoFactorScheme, o =>
            {
                o.Cookie.Name = "piramid.two_factor";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = loopbackHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                o.SlidingExpiration = false;
            });
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = loopbackHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(IdentityPolicies.PlatformAdmin, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(Claims.Role, Roles.PlatformAdmin))
            .AddPolicy(IdentityPolicies.User, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(Claims.Email))
            .AddPolicy(IdentityPolicies.Gateway, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(Claims.Role, IdentityClaims.GatewayRole));

        builder.Services.AddSingleton<ClientSecretChecks>();
        builder.Services.AddScoped(p => (ClientSecretManager)p.GetRequiredService<IOpenIddictApplicationManager>());
        builder.Services.AddScoped<OperatorPrincipalFactory>();
        builder.Services.AddScoped<OperatorBootstrapper>();
        builder.Services.AddScoped<UserPrincipalFactory>();
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
        endpoints.MapMethods(EndSessionEndpoint, [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)ConnectEndpoints.LogoutAsync).ExcludeFromDescription();
        endpoints.MapGet(AccountEndpoints.LoginPath, AccountEndpoints.LoginForm).ExcludeFromDescription();
        endpoints.MapPost(AccountEndpoints.LoginPath, AccountEndpoints.LoginAsync).ExcludeFromDescription();
        endpoints.MapPost(AccountEndpoints.CodePath, AccountEndpoints.CodeAsync).ExcludeFromDescription();
        endpoints.MapLoginStylesheet();
        return endpoints;
    }
}
