using Microsoft.Extensions.Time.Testing;
using Piramid.Contracts.Admin;
using Piramid.Gateway.Usage;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>Units from bytes, quotas from stored + undelivered + counted units, months in UTC, on a fake clock.</summary>
public sealed class UsageMeterTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 15, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(64 * 1024, 1)]
    [InlineData((64 * 1024) + 1, 2)]
    [InlineData(10 * 64 * 1024, 10)]
    public void ReadUnits_OnePerStarted64KiB_AtLeastOne(long bytes, long units) => Assert.Equal(units, UsageMeter.ReadUnitsFor(bytes));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1024, 1)]
    [InlineData(1025, 2)]
    [InlineData(1024 * 1024, 1024)]
    public void WriteUnits_OnePerStartedKiB_AtLeastOne(long bytes, long units) => Assert.Equal(units, UsageMeter.WriteUnitsFor(bytes));

    [Fact]
    public void AQuota_IsExhaustedExactlyWhenTheCountReachesIt_ReadsAndWritesApart()
    {
        var meter = new UsageMeter(new FakeTimeProvider(Start));
        var plan = new PlanInfo { Id = "p", MonthlyReadUnits = 10, MonthlyWriteUnits = 5 };
        meter.Add("t", 9, 4);
        Assert.Null(meter.ExhaustedQuota("t", write: false, plan));
        Assert.Null(meter.ExhaustedQuota("t", write: true, plan));

        meter.Add("t", 1, 0);
        Assert.Equal("monthly_read_units", meter.ExhaustedQuota("t", write: false, plan));
        Assert.Null(meter.ExhaustedQuota("t", write: true, plan));
        Assert.Null(meter.ExhaustedQuota("other", write: false, plan));

        meter.Add("t", 0, 1);
        Assert.Equal("monthly_write_units", meter.ExhaustedQuota("t", write: true, plan));
    }

    [Fact]
    public void APlanWithoutQuota_IsNeverExhausted()
    {
        var meter = new UsageMeter(new FakeTimeProvider(Start));
        meter.Add("t", long.MaxValue / 2, long.MaxValue / 2);
        Assert.Null(meter.ExhaustedQuota("t", write: false, new PlanInfo { Id = "unlimited" }));
        Assert.Null(meter.ExhaustedQuota("t", write: true, new PlanInfo { Id = "zero", MonthlyWriteUnits = 0 }));
    }

    [Fact]
    public void DrainedUnits_CountUntilDelivered_ThenTheStoredTotalsCount()
    {
        var meter = new UsageMeter(new FakeTimeProvider(Start));
        var plan = new PlanInfo { Id = "p", MonthlyReadUnits = 10 };
        meter.Add("t", 10, 0);
        var report = meter.Drain();
        Assert.Equal(10, Assert.Single(report).ReadUnits);
        Assert.Equal("monthly_read_units", meter.ExhaustedQuota("t", write: false, plan)); // in flight, still counted

        meter.Delivered([new MonthlyUsage { TenantId = "t", Month = new DateOnly(2026, 12, 1), ReadUnits = 10, WriteUnits = 0 }]);
        Assert.Equal("monthly_read_units", meter.ExhaustedQuota("t", write: false, plan)); // now from the stored total
        Assert.Empty(meter.Drain());
    }

    [Fact]
    public void ANewMonth_StartsFromZero()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero));
        var meter = new UsageMeter(clock);
        var plan = new PlanInfo { Id = "p", MonthlyReadUnits = 5 };
        meter.Add("t", 5, 0);
        meter.Delivered([new MonthlyUsage { TenantId = "t", Month = new DateOnly(2026, 11, 1), ReadUnits = 5, WriteUnits = 0 }]);
        Assert.NotNull(meter.ExhaustedQuota("t", write: false, plan));

        clock.Advance(TimeSpan.FromMinutes(2)); // December, in UTC
        Assert.Null(meter.ExhaustedQuota("t", write: false, plan));
    }

    [Fact]
    public void UnitsAreReportedByUtcDay()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 23, 59, 0, TimeSpan.Zero));
        var meter = new UsageMeter(clock);
        meter.Add("t", 1, 0);
        clock.Advance(TimeSpan.FromMinutes(2));
        meter.Add("t", 0, 3);
        var report = meter.Drain().OrderBy(d => d.Day).ToArray();
        Assert.Equal(2, report.Length);
        Assert.Equal((new DateOnly(2026, 12, 1), 1L, 0L), (report[0].Day, report[0].ReadUnits, report[0].WriteUnits));
        Assert.Equal((new DateOnly(2026, 12, 2), 0L, 3L), (report[1].Day, report[1].ReadUnits, report[1].WriteUnits));
    }
}
