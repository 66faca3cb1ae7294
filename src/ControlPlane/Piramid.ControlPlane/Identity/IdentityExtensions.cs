using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// OpenIddict as the platform's token issuer: client credentials for machines (Terraform, CI, the gateway),
/// authorization code with PKCE for the portal, refresh tokens; RS256 JWT access tokens signed with the
/// persisted key and published in the JWKS; local validation for the control plane's own endpoints.
/// </summary>
public static class IdentityExtensions
{
    /// <summary>Cookie scheme of the operator login that fronts the authorization endpoint.</summary>
    public const string LoginScheme = "piramid-login";

    /// <summary>Registers the issuer, the validation, the policies and the bootstrapper.</summary>
    public static WebApplicationBuilder AddControlPlaneIdentity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<IdentityOptions>, IdentityOptionsValidator>();
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateOnStart();
        var options = builder.Configuration.GetSection(IdentityOptions.Section).Get<IdentityOptions>() ?? new IdentityOptions();
        var validation = new IdentityOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(IdentityOptions.Section, typeof(IdentityOptions), validation.Failures);
        }

        var keys = IdentityKeys.LoadOrCreate(options.SigningKeyFile);
        builder.Services.AddSingleton(keys);
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ControlPlaneDbContext>())
            .AddServer(o =>
            {
                o.SetIssuer(options.Issuer!);
                o.SetTokenEndpointUris("connect/token");
                o.SetAuthorizationEndpointUris("connect/authorize");
                o.AllowClientCredentialsFlow();
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.AllowRefreshTokenFlow();
                o.AddSigningKey(keys.SigningKey);
                o.AddEncryptionKey(keys.EncryptionKey);
                // Plain signed JWTs, so the gateway validates them with JwtBearer and the JWKS alone.
                o.DisableAccessTokenEncryption();
                o.SetAccessTokenLifetime(options.AccessTokenLifetime);
                var aspNet = o.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough();
                if (options.Issuer!.Scheme == Uri.UriSchemeHttp)
                {
                    // Only for a loopback issuer (the options validator refuses http elsewhere).
                    aspNet.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.AddAudiences(options.Audience);
                o.UseAspNetCore();
            });

        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .AddCookie(LoginScheme, o =>
            {
                o.LoginPath = "/account/login";
                o.Cookie.Name = "piramid_login";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(IdentityPolicies.PlatformAdmin, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(Roles.PlatformAdmin))
            .AddPolicy(IdentityPolicies.Gateway, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(IdentityClaims.GatewayRole));
        builder.Services.AddScoped<OperatorPrincipalFactory>();
        builder.Services.AddScoped<OperatorBootstrapper>();
        return builder;
    }

    /// <summary>Maps the token and authorization endpoints (OpenIddict passes them through) and the operator login.</summary>
    public static IEndpointRouteBuilder MapControlPlaneIdentity(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/connect/token", TokenEndpoint.HandleAsync);
        app.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizeEndpoint.HandleAsync);
        app.MapGet("/account/login", LoginEndpoint.Form);
        app.MapPost("/account/login", LoginEndpoint.SubmitAsync).DisableAntiforgery();
        return app;
    }
}
