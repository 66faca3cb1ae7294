using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Contracts.Routes;
using Piramid.DataPlane.Hosting;

namespace Piramid.DataPlane.Tests.Hosting;

/// <summary>
/// The engine runs requests on the socket thread that read them; only single searches, recommendations and point
/// reads stay there, everything else of the API moves to the thread pool (<see cref="SocketThreads"/>). A request is
/// started here on a thread of its own, as a socket thread is, and the test reads where the endpoint ran.
/// </summary>
public sealed class SocketThreadsTests
{
    private static readonly HashSet<string> Inline = [PublicRoutes.Search.Name, PublicRoutes.Recommend.Name, PublicRoutes.PointsGet.Name, PublicRoutes.PointsGetMany.Name];

    public static TheoryData<string> EngineRoutes() => [.. PublicRoutes.Engine.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(EngineRoutes))]
    public async Task EveryEngineRoute_StaysOnTheSocketThread_OnlyWhenItIsAShortRead(string name)
    {
        var route = PublicRoutes.Engine.Single(r => r.Name == name);
        var onPool = await RunOnOwnThreadAsync(route.Template.Replace("{name}", "c", StringComparison.Ordinal), route);
        Assert.Equal(!Inline.Contains(name), onPool);
    }

    [Theory]
    [InlineData("/internal/v1/collections/c/import", true)]
    [InlineData("/internal/v1/snapshots", true)]
    [InlineData("/v1/collections/c/unknown", true)]
    [InlineData("/health/ready", false)]
    [InlineData("/health/challenge", false)]
    [InlineData("/metrics", false)]
    public async Task EndpointsOutsideTheTable_LeaveUnlessTheyAreHealthOrMetrics(string path, bool leaves)
    {
        Assert.Equal(leaves, await RunOnOwnThreadAsync(path, route: null));
    }

    [Fact]
    public async Task AfterABodyIsRead_AWriteLeavesTheSocketThread_AndASearchStays()
    {
        Assert.True(await OnPoolAfterLeaveAsync(PublicRoutes.PointsUpsert));
        Assert.False(await OnPoolAfterLeaveAsync(PublicRoutes.Search));
    }

    private static Task<bool> RunOnOwnThreadAsync(string path, PublicRoute? route)
    {
        var services = new ServiceCollection().BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        var ranOnPool = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.UseSocketThreadRules();
        app.Run(_ =>
        {
            ranOnPool.TrySetResult(Thread.CurrentThread.IsThreadPoolThread);
            return Task.CompletedTask;
        });
        var pipeline = app.Build();
        var context = Request(path, route);
        var thread = new Thread(() => pipeline(context).GetAwaiter().GetResult());
        thread.Start();
        return ranOnPool.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static Task<bool> OnPoolAfterLeaveAsync(PublicRoute route)
    {
        var context = Request(route.Template, route);
        var ranOnPool = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => LeaveAsync().GetAwaiter().GetResult());
        thread.Start();
        return ranOnPool.Task.WaitAsync(TimeSpan.FromSeconds(10));

        async Task LeaveAsync()
        {
            await SocketThreads.LeaveIfLongAsync(context);
            ranOnPool.TrySetResult(Thread.CurrentThread.IsThreadPoolThread);
        }
    }

    private static DefaultHttpContext Request(string path, PublicRoute? route)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        var metadata = route is null ? new EndpointMetadataCollection() : new EndpointMetadataCollection(route);
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, metadata, path));
        return context;
    }
}
