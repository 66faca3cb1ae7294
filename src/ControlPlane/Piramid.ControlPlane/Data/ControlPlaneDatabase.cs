using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Piramid.ControlPlane.Data;

/// <summary>One place that configures the DbContext, so the app, the tools and the tests agree.</summary>
public static class ControlPlaneDatabase
{
    /// <summary>
    /// Connections the control plane opens at most when its connection string does not say: Npgsql's default, 100, is
    /// PostgreSQL's default <c>max_connections</c>, so a burst (500 tenants polled at once) took every slot and the
    /// server refused the rest. Below the limit, a burst waits for a pooled connection instead.
    /// </summary>
    public const int DefaultMaxPoolSize = 40;

    /// <summary>Npgsql with snake_case names.</summary>
    public static TBuilder Configure<TBuilder>(TBuilder builder, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseNpgsql(WithPoolLimit(connectionString), o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
        return builder;
    }

    /// <summary>The connection string with <see cref="DefaultMaxPoolSize"/> unless it names a maximum pool size itself.</summary>
    public static string WithPoolLimit(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase)
            || k.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultMaxPoolSize }.ConnectionString;
    }

    /// <summary>Applies every pending migration (the explicit <c>migrate</c> step).</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var db = new ControlPlaneDbContext(Configure(new DbContextOptionsBuilder<ControlPlaneDbContext>(), connectionString).Options);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
