using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Storage;

public sealed class DurabilityPolicyTests
{
    [Theory]
    [InlineData("always", DurabilityMode.Always, 2, 100)]
    [InlineData("batch", DurabilityMode.Batch, 2, 100)]
    [InlineData(" Batch:5ms ", DurabilityMode.Batch, 5, 100)]
    [InlineData("interval", DurabilityMode.Interval, 2, 100)]
    [InlineData("interval:200ms", DurabilityMode.Interval, 2, 200)]
    [InlineData("interval:1s", DurabilityMode.Interval, 2, 1000)]
    [InlineData("none", DurabilityMode.None, 2, 100)]
    public void Parse_ValidText_ReturnsPolicy(string text, DurabilityMode mode, int windowMs, int intervalMs)
    {
        var policy = DurabilityPolicy.Parse(text);
        Assert.Equal(new DurabilityPolicy(mode, TimeSpan.FromMilliseconds(windowMs), TimeSpan.FromMilliseconds(intervalMs)), policy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("batch:5")]
    [InlineData("batch:-1ms")]
    [InlineData("interval:0ms")]
    [InlineData("always:5ms")]
    public void Parse_InvalidText_ThrowsArgumentExceptionNamingTheValue(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => DurabilityPolicy.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void Default_IsBatchWithTwoMillisecondWindow()
    {
        Assert.Equal(DurabilityMode.Batch, DurabilityPolicy.Default.Mode);
        Assert.Equal(TimeSpan.FromMilliseconds(2), DurabilityPolicy.Default.BatchWindow);
        Assert.Equal(TimeSpan.FromMilliseconds(100), DurabilityPolicy.Default.Interval);
    }
}
