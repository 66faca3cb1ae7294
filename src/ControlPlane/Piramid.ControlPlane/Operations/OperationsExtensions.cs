using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;

namespace Piramid.ControlPlane.Operations;

/// <summary>Registers the operations resource and its runner.</summary>
public static class OperationsExtensions
{
    /// <summary>Adds <see cref="OperationRunner"/>, <see cref="OperationQueue"/> and the short form's policy.</summary>
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>();
        builder.Services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<OperationSignal>();
        builder.Services.AddScoped<OperationQueue>();
        builder.Services.AddSingleton<OperationRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OperationRunner>());
        builder.Services.AddAuthorizationBuilder().AddPolicy(OperationsApi.ShortFormPolicy, p => p
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>Registers the handler of one kind of operation (scoped: one per run).</summary>
    public static IServiceCollection AddOperationHandler<THandler>(this IServiceCollection services)
        where THandler : class, IOperationHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddScoped<IOperationHandler, THandler>();
    }
}
