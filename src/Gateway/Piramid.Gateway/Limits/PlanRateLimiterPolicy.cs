using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Forwarding;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Limits;

/// <summary>
/// The plan's rate limit as the named rate-limiter policy of the data routes (YARP's <c>RateLimiterPolicy</c>): the
/// partitioner takes a token from the key's and the tenant's buckets of <see cref="RateLimits"/> and writes the
/// <c>RateLimit-*</c> headers of that decision, then hands the middleware one of two fixed partitions, admitted or
/// refused, whose limiters answer with cached leases. Nothing is allocated per request here: no partition key
/// string, no factory closure, no limiter or lease.
/// </summary>
/// <remarks>
/// The decision is made in the partitioner because it is the only part of a policy that sees the request: a
/// <see cref="RateLimiter"/> gets a permit count, not the caller, so a limiter per key and plan would need a partition
/// key (and a limiter) per key, built on every request.
/// </remarks>
public sealed class PlanRateLimiterPolicy(RateLimits limits) : IRateLimiterPolicy<string>
{
    /// <summary>Policy name.</summary>
    public const string Name = "tenant-plan";

    private static readonly RateLimitPartition<string> Admitted = new("admitted", static _ => FixedLimiter.Acquiring);
    private static readonly RateLimitPartition<string> Refused = new("refused", static _ => FixedLimiter.Refusing);

    /// <inheritdoc />
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = static (rejected, _) =>
    {
        rejected.HttpContext.RequestServices.GetRequiredService<Telemetry.GatewayTelemetry>().Refused(Telemetry.GatewayTelemetry.RateLimit);
        return new(ProblemResults.WriteAsync(rejected.HttpContext, ProblemCatalog.RateLimited, "The plan's request rate is exceeded; retry after the number of seconds in Retry-After."));
    };

    /// <inheritdoc />
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (EngineRequest.Of(httpContext) is not { Key: { } key } request)
        {
            // Only API keys reach the data routes (their authorization policy); nothing else is the plan's to limit.
            return Admitted;
        }

        var decision = limits.Admit(key.TenantId, key.KeyId, request.Write, key.Plan);
        RateLimits.WriteHeaders(httpContext.Response, decision);
        return decision.Admitted ? Admitted : Refused;
    }

    /// <summary>A limiter whose answer is decided before it is asked: it always grants, or always refuses.</summary>
    private sealed class FixedLimiter(RateLimitLease lease) : RateLimiter
    {
        public static readonly FixedLimiter Acquiring = new(new FixedLease(true));

        public static readonly FixedLimiter Refusing = new(new FixedLease(false));

        // Never idle: the partitioned limiter keeps both for the life of the process.
        public override TimeSpan? IdleDuration => null;

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => lease;

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => new(lease);
    }

    /// <summary>A lease that holds nothing: disposing it returns no token (the buckets refill by time).</summary>
    private sealed class FixedLease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
