using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Piramid.Contracts.Durability;

/// <summary>
/// A durability setting as text: <c>always</c>, <c>batch</c>, <c>batch:5ms</c>, <c>interval</c>,
/// <c>interval:200ms</c> or <c>none</c> (case-insensitive, durations in <c>ms</c> or <c>s</c>). One grammar
/// for the control plane, which checks the setting at start, and the engine, which runs it: a setting one
/// accepts and the other refuses would make every engine crash-loop.
/// </summary>
/// <param name="Kind">The mode.</param>
/// <param name="Period">The batch window or the interval period when given; null means the engine's default.</param>
public sealed record DurabilitySetting(DurabilityKind Kind, TimeSpan? Period)
{
    /// <summary>Longest batch window: a longer one would stall every write.</summary>
    public static readonly TimeSpan MaxBatchWindow = TimeSpan.FromSeconds(1);

    /// <summary>Longest period of any duration.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromHours(1);

    /// <summary>The setting, or <see cref="ArgumentException"/> naming the text and the problem.</summary>
    public static DurabilitySetting Parse(string text) =>
        TryParse(text, out var setting, out var error) ? setting : throw new ArgumentException(error, nameof(text));

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> names the text, the problem and the grammar.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DurabilitySetting? setting, [NotNullWhen(false)] out string? error)
    {
        setting = null;
        if (text is null)
        {
            error = Invalid(text, "it is missing");
            return false;
        }

        var trimmed = text.Trim();
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var name = (colon < 0 ? trimmed : trimmed[..colon]).ToUpperInvariant();
        var argument = colon < 0 ? null : trimmed[(colon + 1)..];
        TimeSpan? period = null;
        switch (name)
        {
            case "ALWAYS" when argument is null:
                setting = new(DurabilityKind.Always, null);
                break;
            case "NONE" when argument is null:
                setting = new(DurabilityKind.None, null);
                break;
            case "BATCH":
                if (argument is not null && !TryDuration(text, argument, allowZero: true, out period, out error))
                {
                    return false;
                }

                if (period > MaxBatchWindow)
                {
                    error = Invalid(text, "a batch window above 1s would stall every write");
                    return false;
                }

                setting = new(DurabilityKind.Batch, period);
                break;
            case "INTERVAL":
                if (argument is not null && !TryDuration(text, argument, allowZero: false, out period, out error))
                {
                    return false;
                }

                setting = new(DurabilityKind.Interval, period);
                break;
            default:
                error = Invalid(text, "unknown mode");
                return false;
        }

        error = null;
        return true;
    }

    private static bool TryDuration(string text, string argument, bool allowZero, out TimeSpan? duration, [NotNullWhen(false)] out string? error)
    {
        duration = null;
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
            error = Invalid(text, "the duration needs a unit (ms or s)");
            return false;
        }

        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || double.IsInfinity(number) || (number == 0 && !allowZero) || number * scale > MaxPeriod.TotalMilliseconds)
        {
            error = Invalid(text, "the duration is not a valid positive number");
            return false;
        }

        duration = TimeSpan.FromMilliseconds(number * scale);
        error = null;
        return true;
    }

    private static string Invalid(string? text, string why) =>
        $"Durability policy '{text}' is not valid ({why}). Use one of: always, batch, batch:<n>ms, interval, interval:<n>ms, none.";
}
