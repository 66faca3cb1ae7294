using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data;

namespace Piramid.ControlPlane.Hosting;

/// <summary>Registers the DbContext from <c>ConnectionStrings:ControlPlane</c>.</summary>
public static class DatabaseExtensions
{
    /// <summary>Adds the DbContext and a readiness check on the database.</summary>
    public static WebApplicationBuilder AddControlPlaneDatabase(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString("ControlPlane")
            ?? throw new InvalidOperationException("Set ConnectionStrings__ControlPlane (a PostgreSQL connection string).");
        builder.Services.AddDbContext<ControlPlaneDbContext>(o =>
        {
            ControlPlaneDatabase.Configure(o, connectionString);
            o.UseOpenIddict();
        });
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [ServiceDefaults.ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }
}
