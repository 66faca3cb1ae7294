using Microsoft.EntityFrameworkCore;

namespace Piramid.ControlPlane.Data;

/// <summary>One place that configures the DbContext, so the app, the tools and the tests agree.</summary>
public static class ControlPlaneDatabase
{
    /// <summary>Npgsql with snake_case names.</summary>
    public static TBuilder Configure<TBuilder>(TBuilder builder, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
        return builder;
    }

    /// <summary>Applies every pending migration (the explicit <c>migrate</c> step).</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var db = new ControlPlaneDbContext(Configure(new DbContextOptionsBuilder<ControlPlaneDbContext>(), connectionString).Options);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
