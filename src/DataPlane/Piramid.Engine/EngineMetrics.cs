using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Piramid.Engine;

/// <summary>
/// The engine process's one Meter (OpenTelemetry names and units; Prometheus reads them as
/// <c>piramid_engine_…</c>, docs/design/observability.md). Lives in the library because the log, the checkpoints
/// and the searches measure themselves; the host adds its own counters to the same Meter.
/// </summary>
public static class EngineMetrics
{
    /// <summary>Meter name (the host registers it with OpenTelemetry).</summary>
    public const string Name = "Piramid.Engine";

    /// <summary>Collections named in labels; the rest are reported as <see cref="OtherCollection"/>.</summary>
    public const int MaxCollectionLabels = 32;

    /// <summary>The label of collections past <see cref="MaxCollectionLabels"/>.</summary>
    public const string OtherCollection = "other";

    // Seconds: from tens of microseconds (an exact search of a few points, an unsynced append) to seconds (an fsync
    // on a busy disk, a checkpoint of millions of points).
    private static readonly double[] SecondsBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly int[] CountBuckets = [10, 25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 102400];
    private static readonly ConcurrentDictionary<string, byte> Labelled = new(StringComparer.Ordinal);

    /// <summary>The Meter.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Search time inside the engine (query checks, plan, scoring), by collection and plan.</summary>
    public static readonly Histogram<double> SearchDuration = Meter.CreateHistogram(
        "piramid.engine.search.duration", "s", "Time of one search inside the engine", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>The ef a search ran with (the candidate list's size), by collection.</summary>
    public static readonly Histogram<int> SearchEf = Meter.CreateHistogram(
        "piramid.engine.search.ef", "{candidate}", "Size of the candidate list a search ran with", tags: null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = CountBuckets });

    /// <summary>Vectors a search scored (graph nodes visited, filter matches, or the whole collection), by collection.</summary>
    public static readonly Histogram<int> SearchCandidates = Meter.CreateHistogram(
        "piramid.engine.search.candidates_visited", "{vector}", "Vectors one search visited and scored", tags: null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = CountBuckets });

    /// <summary>Time to assign, stamp and encrypt one record into the log's buffer.</summary>
    public static readonly Histogram<double> WalAppendDuration = Meter.CreateHistogram(
        "piramid.engine.wal.append.duration", "s", "Time to append one record to the write-ahead log's buffer", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>Time of one fsync of a log segment.</summary>
    public static readonly Histogram<double> WalFsyncDuration = Meter.CreateHistogram(
        "piramid.engine.wal.fsync.duration", "s", "Time of one fsync of a write-ahead log segment", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>Time to write one collection's checkpoint.</summary>
    public static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram(
        "piramid.engine.checkpoint.duration", "s", "Time to write one collection checkpoint", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>Graph nodes linked by the collections' background linkers (its rate is the link rate; docs/design/ingest.md).</summary>
    public static readonly Counter<long> IndexLinks = Meter.CreateCounter<long>(
        "piramid.engine.index.links", "{node}", "Graph nodes linked behind acknowledged writes");

    /// <summary>Links maintenance added to bring cut-off graph nodes back within reach of the entry point (docs/design/hnsw.md).</summary>
    public static readonly Counter<long> GraphReconnects = Meter.CreateCounter<long>(
        "piramid.engine.index.reconnects", "{link}", "Links added to reconnect graph nodes no search could reach");

    /// <summary>Writes that waited because a collection's unlinked tail was at its bound (back-pressure).</summary>
    public static readonly Counter<long> IngestWaits = Meter.CreateCounter<long>(
        "piramid.engine.ingest.waits", "{write}", "Writes that waited for the graph linker to catch up");

    /// <summary>Seconds between two timestamps of <see cref="Stopwatch"/>.</summary>
    public static double Seconds(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;

    /// <summary>
    /// The label value for a collection: its name for the first <see cref="MaxCollectionLabels"/> names seen by this
    /// process, <see cref="OtherCollection"/> after that, so a tenant creating many collections cannot grow the series
    /// without bound (names of deleted collections keep their place until the engine restarts).
    /// </summary>
    public static string CollectionLabel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Labelled.ContainsKey(name))
        {
            return name;
        }

        lock (Labelled)
        {
            if (Labelled.Count < MaxCollectionLabels)
            {
                Labelled.TryAdd(name, 0);
                return name;
            }
        }

        return OtherCollection;
    }
}
