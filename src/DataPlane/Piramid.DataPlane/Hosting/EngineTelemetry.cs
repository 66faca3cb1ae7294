using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using Piramid.Engine;

namespace Piramid.DataPlane.Hosting;

/// <summary>The host's instruments on the engine process's one Meter (<see cref="EngineMetrics"/>).</summary>
public static class EngineTelemetry
{
    /// <summary>Meter and ActivitySource name.</summary>
    public const string Name = EngineMetrics.Name;

    /// <summary>Points written, by operation.</summary>
    public static readonly Counter<long> PointsWritten = EngineMetrics.Meter.CreateCounter<long>("piramid.engine.points.written", "{point}");

    /// <summary>Searches served.</summary>
    public static readonly Counter<long> Searches = EngineMetrics.Meter.CreateCounter<long>("piramid.engine.searches", "{search}");

    /// <summary>
    /// Series kept per instrument of the framework's meters (ASP.NET Core, Kestrel, HttpClient, runtime). OpenTelemetry
    /// allocates every instrument's table for its cardinality limit when the instrument is published: at the default
    /// 2,000 the engine's 50-odd framework instruments cost 12 MB and a garbage collection in every engine start
    /// (docs/design/hibernation.md, "Engine start"). An engine serves a few dozen routes, so 128 is ample; the engine's
    /// own meter keeps the default, its collection labels being capped (<see cref="EngineMetrics.MaxCollectionLabels"/>).
    /// </summary>
    public const int FrameworkSeriesLimit = 128;

    /// <summary>Applies <see cref="FrameworkSeriesLimit"/> to every instrument outside the engine's meter.</summary>
    public static IServiceCollection LimitFrameworkSeries(this IServiceCollection services) =>
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddView(instrument => instrument.Meter.Name == Name
            ? null
            : new MetricStreamConfiguration { CardinalityLimit = FrameworkSeriesLimit }));

    /// <summary>The gauges read at each scrape: storage, index memory and points of the engine's collections.</summary>
    public static void ObserveEngine(VectorEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        EngineMetrics.Meter.CreateObservableGauge("piramid.engine.storage.size", () => engine.Quotas.StorageBytes, "By",
            "Bytes of the engine's data directory, as last sampled by its maintenance loop");
        EngineMetrics.Meter.CreateObservableGauge("piramid.engine.index.size", () => PerCollection(engine, c => c.IndexBytes), "By",
            "Bytes of each collection's graph index in memory");
        EngineMetrics.Meter.CreateObservableGauge("piramid.engine.points", () => PerCollection(engine, c => c.Count), "{point}",
            "Points of each collection");
        EngineMetrics.Meter.CreateObservableGauge("piramid.engine.index.unlinked", () => PerCollection(engine, c => c.UnlinkedPoints), "{point}",
            "Points of each collection acknowledged and not yet linked into its graph (searched exactly meanwhile)");
    }

    private static IEnumerable<Measurement<long>> PerCollection(VectorEngine engine, Func<Engine.Collections.Collection, long> value)
    {
        // Collections past the label cap are summed into one 'other' series, as the search metrics are.
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var collection in engine.Collections)
        {
            var label = EngineMetrics.CollectionLabel(collection.Config.Name);
            totals[label] = totals.GetValueOrDefault(label) + value(collection);
        }

        return totals.Select(t => new Measurement<long>(t.Value, new KeyValuePair<string, object?>("collection", t.Key)));
    }
}
