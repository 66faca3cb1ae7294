using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Hosting;

/// <summary>
/// A database that refuses or cannot give a connection (PostgreSQL out of connection slots or starting up, the pool
/// exhausted, the server unreachable) is a 503 with <c>Retry-After</c>, not a 500: the request was fine, and the
/// platform's clients retry 503s. Found by 500 tenants polled at once (docs/design/hibernation.md, "Density").
/// </summary>
public sealed class DatabaseUnavailableHandler : IExceptionHandler
{
    /// <summary>Seconds a client is told to wait.</summary>
    public const int RetryAfterSeconds = 1;

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.Response.HasStarted || !IsUnavailable(exception))
        {
            return false;
        }

        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ProblemResults.WriteAsync(httpContext, ProblemCatalog.ServiceUnavailable, "The control plane's database is busy or unreachable; retry shortly.");
        return true;
    }

    /// <summary>True when <paramref name="exception"/> or one it wraps says the database gave no connection.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Class 53: insufficient resources (53300 too many connections); 57P03: cannot connect now.
                case PostgresException postgres when postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                    || postgres.SqlState == PostgresErrorCodes.CannotConnectNow:
                    return true;
                case PostgresException:
                    return false; // the server answered: not a connection problem
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
            }
        }

        return false;
    }
}
