using Piramid.Gateway.Forwarding;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Middleware right after <see cref="EngineRequest.DescribeAsync"/>: counts every data request of a known tenant in
/// <see cref="RequestStatsLog"/> with its status and latency, the limits' refusals after it (402, 429) included.
/// Requests refused before (no credential, another tenant's path) have no tenant to count them for.
/// </summary>
public static class RequestStats
{
    /// <summary>Counts the request once the rest of the pipeline has answered it.</summary>
    public static async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is not { } request)
        {
            await next(context);
            return;
        }

        var log = context.RequestServices.GetRequiredService<RequestStatsLog>();
        var started = log.Time.GetTimestamp();
        try
        {
            await next(context);
        }
        catch
        {
            // What escapes here becomes a 500 (or a cut connection, if the answer had started).
            log.Record(request.TenantId, StatusCodes.Status500InternalServerError, started);
            throw;
        }

        log.Record(request.TenantId, context.Response.StatusCode, started);
    }
}
