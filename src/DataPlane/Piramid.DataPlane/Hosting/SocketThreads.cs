using Piramid.Contracts.Routes;
using Piramid.DataPlane.Api;
using R = Piramid.Contracts.Routes.PublicRoutes;

namespace Piramid.DataPlane.Hosting;

/// <summary>
/// Which requests run on the socket thread that read them, and which move to the thread pool.
/// </summary>
/// <remarks>
/// The engine completes socket events inline (Program.cs) and Kestrel runs requests where their bytes arrived, so a
/// point lookup or a search is read, answered and written without waking a pool thread: on this machine a small
/// search's engine CPU went from 160-200 to 100-125 us and its direct p50 from 0.17-0.23 to 0.13-0.15 ms (gateway
/// benchmark, docs/design/gateway.md). A socket thread serves many connections, though, so work that may run long (a write and
/// its body's parse, a scan such as count, scroll or export, a batch, a backup) leaves it first: behind such a request
/// the other connections of that thread would wait. A single search or lookup stays, its cost bounded by its own
/// <c>ef</c> and <c>top_k</c> (an exact search of a large flat collection is the longest of them).
/// </remarks>
internal static class SocketThreads
{
    private static readonly HashSet<PublicRoute> Inline = [R.Search, R.Recommend, R.PointsGet, R.PointsGetMany];

    /// <summary>Moves every request outside the inline routes to the thread pool before it runs.</summary>
    public static IApplicationBuilder UseSocketThreadRules(this IApplicationBuilder app) =>
        app.Use(static (context, next) => RunsInline(context) ? next(context) : LeaveThenRunAsync(context, next));

    /// <summary>
    /// Completes at once on a pool thread or for an inline route; otherwise continues on the pool. Called after a
    /// body is read, because a read that waited for bytes resumes on the socket thread.
    /// </summary>
    public static ValueTask LeaveIfLongAsync(HttpContext context) =>
        Thread.CurrentThread.IsThreadPoolThread || RunsInline(context) ? ValueTask.CompletedTask : YieldAsync();

    // Of the API (public and internal), only the routes above stay; health, metrics and the adoption challenge
    // are short and stay too.
    private static bool RunsInline(HttpContext context) => RouteTableEndpoints.Current(context) is { } route
        ? Inline.Contains(route)
        : !context.Request.Path.StartsWithSegments("/v1") && !context.Request.Path.StartsWithSegments("/internal");

    private static async Task LeaveThenRunAsync(HttpContext context, RequestDelegate next)
    {
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            await Task.Yield();
        }

        await next(context);
    }

    private static async ValueTask YieldAsync() => await Task.Yield();
}
