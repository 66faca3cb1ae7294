using System.Diagnostics;
using System.Text.Json;
using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;

namespace Piramid.Benchmarks;

/// <summary>
/// Filtered search inside <c>ann</c> (<c>--filtered 10,1,0.1</c>, percent of the points matching): every base
/// point gets a bucket 0..999 from a seeded random, the filter keeps the lowest buckets, and the truth is
/// the exact top-k among the matches. Both of the collection planner's plans are measured — the graph walk
/// with the filter applied during traversal, at each ef, and exact scoring of the listed matches — and the
/// plan it would pick at ef 64 (matches² ≥ α·ef·2M·N: the walk) is marked. A walk under a very selective
/// filter takes tens of milliseconds (that is why the planner avoids it), so this part runs on the first
/// <c>--filtered-queries</c> queries (200) at <c>--filtered-ef</c> (20,64).
/// </summary>
internal static class FilteredMode
{
    private const int PlannerEf = 64;

    // Collection.Search's WalkCostFactor (α): the walk is chosen when matches² ≥ α·ef·2M·N.
    private const double PlannerWalkCostFactor = 0.2;

    public static List<Row> Run(HnswIndex index, VectorSlab slab, DistanceMetric metric, float[][] queries, int k, int[] efs, int m, double[] shares)
    {
        var rows = new List<Row>();
        if (shares.Length == 0)
        {
            return rows;
        }

        var random = new Random(7);
        var buckets = new int[slab.HighWater];
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = random.Next(1000);
        }

        Console.WriteLine($"{"filter",7} {"matches",8} {"plan",16} {"ef",5} {"recall",8} {"q/s",9} {"p50 ms",8}");
        foreach (double share in shares)
        {
            int below = (int)Math.Round(share * 10);
            var matches = Enumerable.Range(0, buckets.Length).Where(s => buckets[s] < below).ToArray();
            bool Accept(int slot) => buckets[slot] < below;
            var truth = queries.Select(q => ExactSearch.SearchCandidates(slab, metric, q, k, null, matches, null).Select(h => h.Slot).ToHashSet()).ToArray();
            bool plannerWalks = (double)matches.Length * matches.Length >= PlannerWalkCostFactor * PlannerEf * 2 * m * slab.Count;

            foreach (int ef in efs)
            {
                var row = Time(queries, truth, k, q => index.Search(q, k, ef, Accept));
                rows.Add(new Row(share, matches.Length, "graph walk", ef, plannerWalks && ef == PlannerEf, row.Recall, row.Qps, row.P50));
                Print(rows[^1]);
            }

            var exact = Time(queries, truth, k, q => ExactSearch.SearchCandidates(slab, metric, q, k, null, matches, Accept));
            rows.Add(new Row(share, matches.Length, "exact on matches", 0, !plannerWalks, exact.Recall, exact.Qps, exact.P50));
            Print(rows[^1]);
        }

        return rows;
    }

    public static void Write(Utf8JsonWriter json, List<Row> rows, int k)
    {
        json.WriteStartArray("filtered");
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteNumber("percent_matching", row.Share);
            json.WriteNumber("matches", row.Matches);
            json.WriteString("plan", row.Plan);
            json.WriteNumber("ef", row.Ef);
            json.WriteBoolean("planner_choice_at_ef_64", row.PlannerChoice);
            json.WriteNumber($"recall_at_{k}", Math.Round(row.Recall, 5));
            json.WriteNumber("queries_per_second", Math.Round(row.Qps, 1));
            json.WriteNumber("latency_p50_ms", Math.Round(row.P50, 4));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Print(Row row) =>
        Console.WriteLine($"{row.Share,6}% {row.Matches,8} {row.Plan + (row.PlannerChoice ? "*" : string.Empty),16} {(row.Ef == 0 ? "-" : row.Ef.ToString()),5} {row.Recall,8:F4} {row.Qps,9:F0} {row.P50,8:F3}");

    // One warm-up pass, then the best of two timed passes (single thread).
    private static (double Recall, double Qps, double P50) Time(float[][] queries, HashSet<int>[] truth, int k, Func<float[], ScoredSlot[]> search)
    {
        var results = new ScoredSlot[queries.Length][];
        var latencies = new double[queries.Length];
        double best = double.MaxValue;
        double[] bestLatencies = [];
        for (int round = -1; round < 2; round++)
        {
            var wall = Stopwatch.StartNew();
            for (int q = 0; q < queries.Length; q++)
            {
                long start = Stopwatch.GetTimestamp();
                results[q] = search(queries[q]);
                latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            if (round >= 0 && wall.Elapsed.TotalSeconds < best)
            {
                best = wall.Elapsed.TotalSeconds;
                bestLatencies = (double[])latencies.Clone();
            }
        }

        Array.Sort(bestLatencies);
        double hits = 0, expected = 0;
        for (int q = 0; q < queries.Length; q++)
        {
            hits += results[q].Count(r => truth[q].Contains(r.Slot));
            expected += Math.Min(k, truth[q].Count);
        }

        return (hits / expected, queries.Length / best, ExactMode.Percentile(bestLatencies, 0.5));
    }

    internal sealed record Row(double Share, int Matches, string Plan, int Ef, bool PlannerChoice, double Recall, double Qps, double P50);
}
