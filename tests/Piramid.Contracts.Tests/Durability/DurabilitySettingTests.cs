using System.Globalization;
using Piramid.Contracts.Durability;

namespace Piramid.Contracts.Tests.Durability;

public sealed class DurabilitySettingTests
{
    [Theory]
    [InlineData("always", DurabilityKind.Always, null)]
    [InlineData("none", DurabilityKind.None, null)]
    [InlineData("batch", DurabilityKind.Batch, null)]
    [InlineData(" Batch:5ms ", DurabilityKind.Batch, 5.0)]
    [InlineData("batch:0ms", DurabilityKind.Batch, 0.0)]
    [InlineData("batch:1s", DurabilityKind.Batch, 1000.0)]
    [InlineData("interval:1.5s", DurabilityKind.Interval, 1500.0)]
    public void Parse_Valid_GivesKindAndPeriod(string text, DurabilityKind kind, double? periodMs)
    {
        var setting = DurabilitySetting.Parse(text);
        Assert.Equal(kind, setting.Kind);
        Assert.Equal(periodMs is double ms ? TimeSpan.FromMilliseconds(ms) : null, setting.Period);
    }

    [Theory]
    [InlineData("batch:5s", "above 1s")]
    [InlineData("batch:5", "needs a unit")]
    [InlineData("interval:0ms", "positive")]
    [InlineData("always:5ms", "unknown mode")]
    [InlineData("interval:2h", "needs a unit")]
    [InlineData("interval:3601s", "positive")]
    public void TryParse_Invalid_NamesTheTextAndTheProblem(string text, string why)
    {
        Assert.False(DurabilitySetting.TryParse(text, out var setting, out var error));
        Assert.Null(setting);
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchWindows_AcceptedUpToTheLimitAndRefusedAbove()
    {
        var random = new Random(15);
        for (var i = 0; i < 2_000; i++)
        {
            var ms = random.Next(0, 3_000);
            var accepted = DurabilitySetting.TryParse($"batch:{ms.ToString(CultureInfo.InvariantCulture)}ms", out var setting, out _);
            Assert.Equal(ms <= 1_000, accepted);
            if (accepted)
            {
                Assert.Equal(TimeSpan.FromMilliseconds(ms), setting!.Period);
            }
        }
    }
}
