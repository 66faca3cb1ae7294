using System.Globalization;

namespace Piramid.Engine.Storage;

/// <summary>The WAL durability policy: one explicit object instead of scattered flags.</summary>
/// <param name="Mode">When a record counts as durable.</param>
/// <param name="BatchWindow">Longest wait to gather writers into one fsync (<see cref="DurabilityMode.Batch"/>).</param>
/// <param name="Interval">Fsync period (<see cref="DurabilityMode.Interval"/>).</param>
public sealed record DurabilityPolicy(DurabilityMode Mode, TimeSpan BatchWindow, TimeSpan Interval)
{
    private static readonly TimeSpan DefaultBatchWindow = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Batch with a 2 ms window (interval 100 ms if the mode is switched).</summary>
    public static DurabilityPolicy Default { get; } = new(DurabilityMode.Batch, DefaultBatchWindow, DefaultInterval);

    /// <summary>
    /// Parses <c>always</c>, <c>batch</c>, <c>batch:5ms</c>, <c>interval</c>, <c>interval:200ms</c> or <c>none</c>
    /// (durations in <c>ms</c> or <c>s</c>); <see cref="ArgumentException"/> otherwise.
    /// </summary>
    public static DurabilityPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var name = (colon < 0 ? trimmed : trimmed[..colon]).ToUpperInvariant();
        var argument = colon < 0 ? null : trimmed[(colon + 1)..];
        switch (name)
        {
            case "ALWAYS" when argument is null:
                return Default with { Mode = DurabilityMode.Always };
            case "NONE" when argument is null:
                return Default with { Mode = DurabilityMode.None };
            case "BATCH":
                var window = argument is null ? DefaultBatchWindow : ParseDuration(text, argument, allowZero: true);
                if (window > TimeSpan.FromSeconds(1))
                {
                    throw Invalid(text, "a batch window above 1s would stall every write");
                }

                return Default with { Mode = DurabilityMode.Batch, BatchWindow = window };
            case "INTERVAL":
                var interval = argument is null ? DefaultInterval : ParseDuration(text, argument, allowZero: false);
                return Default with { Mode = DurabilityMode.Interval, Interval = interval };
            default:
                throw Invalid(text, "unknown mode");
        }
    }

    private static TimeSpan ParseDuration(string text, string argument, bool allowZero)
    {
        var value = argument.Trim();
        double scale;
        if (value.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            scale = 1;
            value = value[..^2];
        }
        else if (value.EndsWith('s') || value.EndsWith('S'))
        {
            scale = 1000;
            value = value[..^1];
        }
        else
        {
            throw Invalid(text, "the duration needs a unit (ms or s)");
        }

        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || double.IsInfinity(number) || (number == 0 && !allowZero) || number * scale > TimeSpan.FromHours(1).TotalMilliseconds)
        {
            throw Invalid(text, "the duration is not a valid positive number");
        }

        return TimeSpan.FromMilliseconds(number * scale);
    }

    private static ArgumentException Invalid(string text, string why) => new(
        $"Durability policy '{text}' is not valid ({why}). Use one of: always, batch, batch:<n>ms, interval, " +
        "interval:<n>ms, none.", nameof(text));
}
