using Microsoft.AspNetCore.Authorization;
using OpenIddict.Validation.AspNetCore;

namespace Piramid.ControlPlane.Access;

/// <summary>Registers the tenant policies, their handler and the problem answers of their refusals.</summary>
public static class AccessExtensions
{
    /// <summary>Adds <see cref="TenantPolicies.Admin"/> and <see cref="TenantPolicies.Member"/>.</summary>
    public static WebApplicationBuilder AddTenantAccess(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<MemberStandings>();
        builder.Services.AddScoped<IAuthorizationHandler, TenantAccessHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, TenantAccessResults>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(TenantPolicies.Admin, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(TenantPolicies.AdminRequirement))
            .AddPolicy(TenantPolicies.Member, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(TenantPolicies.MemberRequirement))
            .AddPolicy(TenantPolicies.Writer, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(TenantPolicies.WriterRequirement));
        return builder;
    }
}
