using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>What a kill soak did and every violation it saw (each names the seed and the kill).</summary>
public sealed class KillSoakResult
{
    private readonly ConcurrentQueue<string> _violations = new();
    private long _acknowledgedUpserts;
    private long _acknowledgedDeletes;
    private long _pointsChecked;
    private long _sampledChecked;
    private long _unknownAtKill;
    private long _unknownApplied;
    private int _violationCount;

    /// <summary>Kills done (each followed by a restart and a check).</summary>
    public int Kills { get; internal set; }

    /// <summary>Clean stops between the kills (see <see cref="KillSoakOptions.CleanStopEvery"/>).</summary>
    public int CleanStops { get; internal set; }

    /// <summary>Acknowledged upsert batches, every one of them checked after the next restart.</summary>
    public long AcknowledgedUpserts => Interlocked.Read(ref _acknowledgedUpserts);

    /// <summary>Acknowledged delete batches, every one of them checked after the next restart.</summary>
    public long AcknowledgedDeletes => Interlocked.Read(ref _acknowledgedDeletes);

    /// <summary>Point reads compared with the model (the round's ids, the samples, the final full scan).</summary>
    public long PointsChecked => Interlocked.Read(ref _pointsChecked);

    /// <summary>Of <see cref="PointsChecked"/>, the points of earlier rounds drawn at random.</summary>
    public long SampledChecked => Interlocked.Read(ref _sampledChecked);

    /// <summary>Writes in flight at a kill (or sent to a dead engine): they may or may not have happened.</summary>
    public long UnknownAtKill => Interlocked.Read(ref _unknownAtKill);

    /// <summary>Of <see cref="UnknownAtKill"/>, those the restarted engine showed as done (whole).</summary>
    public long UnknownApplied => Interlocked.Read(ref _unknownApplied);

    /// <summary>Points stored at the end, all compared with the model.</summary>
    public int FinalPoints { get; internal set; }

    /// <summary>Kills per durability policy.</summary>
    public IDictionary<string, int> KillsByDurability { get; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Wall-clock time of the whole soak.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Violations found, the first <see cref="MaxKeptViolations"/> of them.</summary>
    public IReadOnlyCollection<string> Violations => _violations;

    /// <summary>All violations found, including those not kept.</summary>
    public int ViolationCount => Volatile.Read(ref _violationCount);

    /// <summary>How many violation messages are kept.</summary>
    public const int MaxKeptViolations = 200;

    /// <summary>One paragraph for a log or a test failure.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        var policies = string.Join(", ", KillsByDurability.Select(kv => $"{kv.Key} {kv.Value}"));
        text.Append(CultureInfo.InvariantCulture, $"kills: {Kills} ({policies}) and {CleanStops} clean stops; acknowledged batches verified: {AcknowledgedUpserts} upserts, ");
        text.Append(CultureInfo.InvariantCulture, $"{AcknowledgedDeletes} deletes; unacknowledged at a kill: {UnknownAtKill} ({UnknownApplied} found applied whole, ");
        text.Append(CultureInfo.InvariantCulture, $"{UnknownAtKill - UnknownApplied} not applied or without visible effect); point checks: {PointsChecked} ({SampledChecked} sampled from earlier rounds); ");
        text.Append(CultureInfo.InvariantCulture, $"final points: {FinalPoints}; violations: {ViolationCount}; time: {Elapsed.TotalSeconds:F1} s");
        foreach (var violation in _violations)
        {
            text.Append('\n').Append("  ").Append(violation);
        }

        return text.ToString();
    }

    internal void AddViolation(string message)
    {
        if (Interlocked.Increment(ref _violationCount) <= MaxKeptViolations)
        {
            _violations.Enqueue(message);
        }
    }

    internal void CountAcknowledged(int upserts, int deletes)
    {
        Interlocked.Add(ref _acknowledgedUpserts, upserts);
        Interlocked.Add(ref _acknowledgedDeletes, deletes);
    }

    internal void CountChecked(int points, int sampled)
    {
        Interlocked.Add(ref _pointsChecked, points);
        Interlocked.Add(ref _sampledChecked, sampled);
    }

    internal void CountUnknown(bool applied)
    {
        Interlocked.Increment(ref _unknownAtKill);
        if (applied)
        {
            Interlocked.Increment(ref _unknownApplied);
        }
    }
}
