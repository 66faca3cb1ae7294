using System.Globalization;
using Piramid.ControlPlane.Orchestration;
using Piramid.Engine.Storage;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>
/// The control plane hands its durability setting to every engine: whatever it accepts at start, every engine
/// must accept too, or each engine refuses to start and crash-loops. And what an engine accepts, it must not refuse.
/// </summary>
public sealed class DurabilityAgreementTests
{
    private static readonly string[] Modes = ["always", "batch", "interval", "none", "fast", "", "Batch", "INTERVAL", "alwayss"];
    private static readonly string[] Units = ["ms", "s", "MS", "S", "", "m", "h", "us"];

    [Theory]
    [InlineData("batch:5s")]
    [InlineData("batch:2s")]
    [InlineData("always:5ms")]
    [InlineData("interval:0s")]
    [InlineData("batch:5")]
    [InlineData("Batch")]
    [InlineData(" interval:200ms ")]
    public void Examples_ControlPlaneAcceptsExactlyWhatTheEngineAccepts(string text) =>
        AssertAgree(text);

    [Fact]
    public void RandomSettings_ControlPlaneAcceptsExactlyWhatTheEngineAccepts()
    {
        var random = new Random(1515);
        var accepted = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var text = RandomSetting(random);
            accepted += AssertAgree(text) ? 1 : 0;
        }

        // The generator must reach both sides of the grammar, or the property proves nothing.
        Assert.InRange(accepted, 500, 4_500);
    }

    private static bool AssertAgree(string text)
    {
        var controlPlane = ControlPlaneAccepts(text);
        bool engine;
        try
        {
            DurabilityPolicy.Parse(text);
            engine = true;
        }
        catch (ArgumentException)
        {
            engine = false;
        }

        Assert.True(controlPlane == engine, $"'{text}': control plane {(controlPlane ? "accepts" : "refuses")}, engine {(engine ? "accepts" : "refuses")}");
        return engine;
    }

    private static bool ControlPlaneAccepts(string text)
    {
        var result = new LocalOrchestratorOptionsValidator().Validate(null, new LocalOrchestratorOptions { Durability = text, EngineUsers = EngineUserMode.Off });
        return !(result.Failures ?? []).Any(f => f.StartsWith("'Orchestrator:Durability'", StringComparison.Ordinal));
    }

    private static string RandomSetting(Random random)
    {
        var text = Modes[random.Next(Modes.Length)];
        if (random.Next(3) > 0)
        {
            var number = random.Next(5) switch
            {
                0 => random.Next(0, 3).ToString(CultureInfo.InvariantCulture),
                1 => random.Next(0, 5_000).ToString(CultureInfo.InvariantCulture),
                2 => (random.NextDouble() * 3).ToString("0.###", CultureInfo.InvariantCulture),
                3 => "-" + random.Next(1, 10).ToString(CultureInfo.InvariantCulture),
                _ => random.Next(3_000, 5_000_000).ToString(CultureInfo.InvariantCulture),
            };
            text += ":" + number + Units[random.Next(Units.Length)];
        }

        return random.Next(4) == 0 ? " " + text + " " : text;
    }
}
