using System.Text.Json.Nodes;

namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>
/// One writer's share of a collection: its own ids (no other lane touches them, so each id's history is a
/// sequence), what each id must hold, and the one operation whose fate a kill left unknown.
/// Written by its writer while the engine runs, read by the verifier only once the writer stopped.
/// </summary>
internal sealed class SoakLane
{
    private readonly Dictionary<string, PointState> _model = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly int _seed;
    private readonly int _maxIds;
    private long _nextVersion = 1;
    private int _nextBatch;

    /// <param name="collection">Where the lane writes.</param>
    /// <param name="number">The lane's number in the soak (its name and its share of the seed).</param>
    /// <param name="seed">The soak's seed.</param>
    /// <param name="maxIds">Ids the lane may create; past it every upsert overwrites, so the soak's size stays bounded.</param>
    public SoakLane(SoakCollection collection, int number, int seed, int maxIds)
    {
        Collection = collection;
        Name = $"l{number}";
        _seed = seed;
        _maxIds = maxIds;
        _random = new Random(unchecked((seed * 7919) + number));
    }

    public SoakCollection Collection { get; }

    public string Name { get; }

    /// <summary>The operation in flight when the engine died, if any: it may or may not have happened.</summary>
    public SoakOperation? Pending { get; private set; }

    /// <summary>Ids written since the last verification (all of them are checked after the next restart).</summary>
    public IReadOnlyCollection<string> Touched => _touched;

    /// <summary>Every id this lane ever used, deleted ones included.</summary>
    public IReadOnlyList<string> Ids => _ids;

    public int AcknowledgedUpserts { get; private set; }

    public int AcknowledgedDeletes { get; private set; }

    public PointState Expected(string id) => _model.GetValueOrDefault(id, PointState.Absent);

    /// <summary>Writes until the engine stops answering; the write in flight then stays <see cref="Pending"/>.</summary>
    public async Task RunAsync(SoakApi api, int dimension, string cyclePrefix, Action acknowledged, Action<string> violation, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var operation = Next(cyclePrefix);
            Pending = operation;
            _touched.UnionWith(operation.Ids);
            var (outcome, detail) = await api.WriteAsync(Collection.Name, ToRequest(operation, dimension), operation.IsDelete);
            if (outcome == SoakApi.Outcome.Unknown)
            {
                return;
            }

            if (outcome == SoakApi.Outcome.Refused)
            {
                // Left pending: a refusal must change nothing, and the verifier checks it did not.
                violation($"{Name}: {operation} was refused while the engine ran: {detail}");
                return;
            }

            Apply(operation);
            Pending = null;
            if (operation.IsDelete)
            {
                AcknowledgedDeletes++;
            }
            else
            {
                AcknowledgedUpserts++;
            }

            acknowledged();
        }
    }

    /// <summary>Records what the restarted engine showed of the pending operation and starts a new round.</summary>
    public void Settle(bool pendingApplied)
    {
        if (pendingApplied && Pending is not null)
        {
            Apply(Pending);
        }

        Pending = null;
        _touched.Clear();
        AcknowledgedUpserts = 0;
        AcknowledgedDeletes = 0;
    }

    /// <summary>Up to <paramref name="count"/> ids not written this round, chosen by <paramref name="random"/>.</summary>
    public List<string> Sample(Random random, int count)
    {
        var sample = new List<string>(count);
        if (_ids.Count == 0)
        {
            return sample;
        }

        for (var tries = 0; sample.Count < count && tries < count * 4; tries++)
        {
            var id = _ids[random.Next(_ids.Count)];
            if (!_touched.Contains(id) && !sample.Contains(id, StringComparer.Ordinal))
            {
                sample.Add(id);
            }
        }

        return sample;
    }

    public JsonObject ToRequest(SoakOperation operation, int dimension)
    {
        var ids = new JsonArray([.. operation.Ids.Select(id => JsonValue.Create(id))]);
        if (operation.IsDelete)
        {
            return new JsonObject { ["ids"] = ids };
        }

        var points = new JsonArray();
        for (var i = 0; i < operation.Ids.Count; i++)
        {
            var state = operation.EffectOn(i);
            points.Add(new JsonObject
            {
                ["id"] = operation.Ids[i],
                ["vector"] = new JsonArray([.. VectorOf(state, dimension).Select(v => JsonValue.Create(v))]),
                ["metadata"] = SoakPointContent.Metadata(operation.Ids[i], state),
            });
        }

        return new JsonObject { ["points"] = points };
    }

    public float[] VectorOf(PointState state, int dimension) => SoakPointContent.Vector(_seed, Name, state.Version, dimension);

    private void Apply(SoakOperation operation)
    {
        for (var i = 0; i < operation.Ids.Count; i++)
        {
            _model[operation.Ids[i]] = operation.EffectOn(i);
        }
    }

    // A quarter deletes (of live or already deleted ids), the rest upserts mixing new ids with overwrites.
    private SoakOperation Next(string cyclePrefix)
    {
        var batch = $"{Name}-{cyclePrefix}-b{_nextBatch++}";
        var ids = new List<string>();
        if (_ids.Count > 0 && _random.Next(4) == 0)
        {
            var size = _random.Next(1, 9);
            for (var i = 0; i < size; i++)
            {
                AddDistinct(ids, _ids[_random.Next(_ids.Count)]);
            }

            return new SoakOperation(batch, IsDelete: true, ids, []);
        }

        var count = _random.Next(1, 25);
        for (var i = 0; i < count; i++)
        {
            var fresh = _ids.Count < _maxIds && (_ids.Count == 0 || _random.Next(2) == 0);
            if (fresh)
            {
                var id = $"{Name}-p{_ids.Count}";
                _ids.Add(id);
                ids.Add(id);
            }
            else
            {
                AddDistinct(ids, _ids[_random.Next(_ids.Count)]);
            }
        }

        return new SoakOperation(batch, IsDelete: false, ids, [.. ids.Select(_ => _nextVersion++)]);
    }

    private static void AddDistinct(List<string> ids, string id)
    {
        if (!ids.Contains(id, StringComparer.Ordinal))
        {
            ids.Add(id);
        }
    }
}
