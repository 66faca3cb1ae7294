using Microsoft.Extensions.Options;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Usage;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Limits;

/// <summary>
/// Per client address budgets for what costs the platform work before anyone is known: requests without a
/// valid credential (every one that is not served from the key cache: a lookup of an unknown key, a refusal)
/// and sign-in attempts. Taken before any lookup, so a flood of random keys reaches the control plane at most
/// at this rate per address, and a password guesser at the sign-in rate.
/// </summary>
public sealed class AddressLimits(IOptions<GatewayOptions> options, TimeProvider time)
{
    /// <summary>Paths of sign-in forms and endpoints (routed to the control plane), limited on POST.</summary>
    public static readonly string[] SignInPaths = ["/connect/token", "/account/login", "/account/login/code"];

    /// <summary>Path of sign-up (routed to the control plane), limited on POST by its own, slower budget.</summary>
    public const string SignUpPath = "/v1/signup";

    /// <summary>Refusal reason recorded in the audit for a request refused by an address budget.</summary>
    public const string RateLimitedReason = "rate_limited";

    private readonly AddressBuckets _unauthenticated = new(
        options.Value.UnauthenticatedRatePerSecond, options.Value.UnauthenticatedBurst, options.Value.MaxTrackedAddresses, time);

    private readonly AddressBuckets _signIn = new(
        options.Value.SignInRatePerSecond, options.Value.SignInBurst, options.Value.MaxTrackedAddresses, time);

    private readonly AddressBuckets _signUp = new(
        options.Value.SignUpPerHour / 3600.0, options.Value.SignUpBurst, options.Value.MaxTrackedAddresses, time);

    /// <summary>Takes one token of the caller's address's budget for unauthenticated work.</summary>
    public (bool Admitted, int RetryAfterSeconds) TakeUnauthenticated(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _unauthenticated.TryTake(context.Connection.RemoteIpAddress);
    }

    /// <summary>Middleware: a sign-in attempt takes a token of its address's sign-in budget, a sign-up of its sign-up budget, or gets 429.</summary>
    public static async Task SignInAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (HttpMethods.IsPost(context.Request.Method) && IsPath(context.Request.Path, SignUpPath))
        {
            var (admitted, retryAfter) = context.RequestServices.GetRequiredService<AddressLimits>()._signUp.TryTake(context.Connection.RemoteIpAddress);
            if (!admitted)
            {
                context.RequestServices.GetRequiredService<AuthFailureLog>().Record(context, RateLimitedReason, null);
                var burst = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.SignUpBurst;
                await WriteTooManyAsync(context, burst, retryAfter, "Too many sign-ups from this address; retry after the number of seconds in Retry-After.");
                return;
            }
        }
        else if (HttpMethods.IsPost(context.Request.Method) && IsSignIn(context.Request.Path))
        {
            var (admitted, retryAfter) = context.RequestServices.GetRequiredService<AddressLimits>()._signIn.TryTake(context.Connection.RemoteIpAddress);
            if (!admitted)
            {
                context.RequestServices.GetRequiredService<AuthFailureLog>().Record(context, RateLimitedReason, null);
                var burst = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.SignInBurst;
                await WriteTooManyAsync(context, burst, retryAfter, "Too many sign-in attempts from this address; retry after the number of seconds in Retry-After.");
                return;
            }
        }

        await next(context);
    }

    /// <summary>The budget's burst: the <c>RateLimit-Limit</c> of its refusals.</summary>
    public int UnauthenticatedBurst => options.Value.UnauthenticatedBurst;

    /// <summary>
    /// The 429 of an address budget of <paramref name="limit"/> tokens, with <c>Retry-After</c> and the <c>RateLimit-*</c>
    /// headers every 429 carries (docs/API.md): nothing remains, and a token is back after <c>RateLimit-Reset</c> seconds.
    /// </summary>
    public static Task WriteTooManyAsync(HttpContext context, int limit, int retryAfterSeconds, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        RateLimits.WriteHeaders(context.Response, new RateLimits.Decision(false, limit, 0, retryAfterSeconds));
        return ProblemResults.WriteAsync(context, ProblemCatalog.RateLimited, detail);
    }

    private static bool IsSignIn(PathString path)
    {
        foreach (var signIn in SignInPaths)
        {
            if (IsPath(path, signIn))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPath(PathString path, string expected) =>
        path.Equals(expected, StringComparison.OrdinalIgnoreCase) || path.Equals(expected + "/", StringComparison.OrdinalIgnoreCase);
}
