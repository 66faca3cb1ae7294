using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Piramid.Contracts.Metrics;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Observability;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Observability;

/// <summary>
/// How the charts' store turns minute rows into steps, against a real PostgreSQL database at a chosen time: a rate
/// divides by the time that has passed, and the platform's gauges are added per minute before the step takes its
/// largest minute.
/// </summary>
[Collection(Support.GatewayCollection.Name)]
public sealed class MetricsStepTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset StepStart = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero); // a 15-minute and an hour boundary

    [Theory]
    [InlineData("24h", 2 * 60 + 30)] // 2.5 min into a 15-min step
    [InlineData("24h", 14 * 60)]
    [InlineData("1h", 20)] // 20 s into a minute
    [InlineData("7d", 59 * 60 + 59)]
    public async Task TheCurrentStepsRate_DividesByTheTimePassed_AndTheTotalsByTheWindowSoFar(string windowName, int secondsIntoStep)
    {
        var time = new FakeTimeProvider(StepStart);
        await using var db = await DatabaseAsync();
        var store = new RequestMetricsStore(db, time);
        await store.RecordAsync(Report("t-rate", (StepStart, 300)), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(secondsIntoStep));

        var window = MetricsWindow.Find(windowName)!;
        var summary = await store.SummaryAsync("t-rate", window, CancellationToken.None);

        var last = summary.Points[^1];
        Assert.Equal(StepStart, last.Time);
        Assert.Equal(300, last.Requests);
        Assert.Equal(300.0 / secondsIntoStep, last.RequestRate, 9);
        Assert.Equal(300.0 / (time.GetUtcNow() - summary.From).TotalSeconds, summary.Totals.RequestRate, 9);
        Assert.All(summary.Points.SkipLast(1), p => Assert.Equal(0.0, p.RequestRate));
    }

    [Fact]
    public async Task PlatformMemoryAndEngines_AreSummedPerMinute_ThenTheStepsLargestMinute_NotEachTenantsLargestAddedUp()
    {
        var time = new FakeTimeProvider(StepStart);
        await using var db = await DatabaseAsync();
        var store = new RequestMetricsStore(db, time);
        // One tenant runs at 10:00, another at 10:05 and 10:06 (with the first hibernated: storage only), in one 15-min step.
        await store.SampleAsync("t-early", 1_000, 100 << 20, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(5));
        await store.SampleAsync("t-late", 2_000, 200 << 20, CancellationToken.None);
        await store.CarryStorageAsync("t-early", CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        await store.SampleAsync("t-late", 2_500, 150 << 20, CancellationToken.None);
        await store.CarryStorageAsync("t-early", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));

        var step = (await store.SummaryAsync(null, MetricsWindow.Find("24h")!, CancellationToken.None)).Points[^1];

        Assert.Equal(200L << 20, step.MemoryBytes); // 10:05 alone; not 100 + 200
        Assert.Equal(1, step.Engines); // never two at once
        Assert.Equal(3_500, step.StorageBytes); // 10:06: both tenants' data, the hibernated one's carried
    }

    private async Task<ControlPlaneDbContext> DatabaseAsync()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        return new ControlPlaneDbContext(ControlPlaneDatabase.Configure(new DbContextOptionsBuilder<ControlPlaneDbContext>(), connectionString).Options);
    }

    private static RequestStatsReport Report(string tenantId, params (DateTimeOffset Minute, long Requests)[] minutes) => new()
    {
        Id = Guid.NewGuid().ToString("n"),
        Minutes = [.. minutes.Select(m => new RequestMinute { TenantId = tenantId, Minute = m.Minute, Requests = m.Requests, LatencyBuckets = new long[global::Piramid.Contracts.Metrics.LatencyBuckets.Count] })],
    };
}
