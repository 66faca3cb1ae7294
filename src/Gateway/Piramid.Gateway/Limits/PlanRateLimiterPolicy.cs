using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Forwarding;

namespace Piramid.Gateway.Limits;

/// <summary>
/// The named rate-limiter policy of the data routes (<c>RouteConfig.RateLimiterPolicy</c>): partitioned by key,
/// read or write and the plan's numbers, each partition taking a token from the key's and the tenant's buckets of
/// <see cref="RateLimits"/>. A refusal is a 429 problem with <c>Retry-After</c> and the <c>RateLimit-*</c> headers.
/// </summary>
public sealed class PlanRateLimiterPolicy(RateLimits limits, TimeProvider time) : IRateLimiterPolicy<string>
{
    /// <summary>Policy name.</summary>
    public const string Name = "tenant-plan";

    /// <inheritdoc />
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = RejectAsync;

    /// <inheritdoc />
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (EngineRequest.Of(httpContext) is not { Key: { } key } request)
        {
            // Only API keys reach the data routes (their authorization policy); nothing else is the plan's to limit.
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var write = request.Write;
        var (rate, burst) = RateLimits.Numbers(key.Plan, write);
        // The plan's numbers are part of the partition: a plan change takes effect with the next introspection.
        return RateLimitPartition.Get(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{key.KeyId}\n{(write ? 'w' : 'r')}\n{rate}\n{burst}\n{key.TenantId}"),
            _ => new PlanLimiter(limits, time, key.TenantId, key.KeyId, write, key.Plan));
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        if (rejected.Lease.TryGetMetadata(PlanLease.DecisionName, out var metadata) && metadata is RateLimits.Decision decision)
        {
            RateLimits.WriteHeaders(context.Response, decision);
        }

        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, type: ProblemTypes.RateLimited, title: "Too many requests",
            detail: "The plan's request rate is exceeded; retry after the number of seconds in Retry-After.").ExecuteAsync(context);
    }

    /// <summary>One partition: the buckets live in <see cref="RateLimits"/>, shared with the key's other partitions' tenant.</summary>
    private sealed class PlanLimiter(RateLimits limits, TimeProvider time, string tenantId, string keyId, bool write, PlanInfo plan) : RateLimiter
    {
        private long _lastUsed = time.GetTimestamp();

        // The partitioned limiter drops partitions idle for a while; their buckets stay in RateLimits until its own sweep.
        public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            Interlocked.Exchange(ref _lastUsed, time.GetTimestamp());
            return new PlanLease(limits.Admit(tenantId, keyId, write, plan));
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }

    private sealed class PlanLease(RateLimits.Decision decision) : RateLimitLease
    {
        public const string DecisionName = "PIRAMID_DECISION";

        public override bool IsAcquired => decision.Admitted;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name, DecisionName];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == DecisionName ? decision
                : metadataName == MetadataName.RetryAfter.Name && !decision.Admitted ? TimeSpan.FromSeconds(Math.Max(1, decision.RetryAfterSeconds))
                : null;
            return metadata is not null;
        }
    }
}
