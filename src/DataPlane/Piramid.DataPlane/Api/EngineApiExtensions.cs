namespace Piramid.DataPlane.Api;

/// <summary>Registers the API's JSON contract and the audit middleware.</summary>
public static class EngineApiExtensions
{
    /// <summary>Puts the source-generated JSON first, so no reflection is ever needed.</summary>
    public static IServiceCollection AddEngineApi(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, EngineJsonContext.Default);
            Piramid.Contracts.Json.WireJson.ConfigureServer(o.SerializerOptions);
        });

    /// <summary>Audits every mutating call.</summary>
    public static IApplicationBuilder UseAudit(this IApplicationBuilder app) => app.UseMiddleware<AuditMiddleware>();
}
