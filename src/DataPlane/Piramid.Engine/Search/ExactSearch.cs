namespace Piramid.Engine.Search;

/// <summary>
/// Brute-force k-nearest-neighbour search over a <see cref="VectorSlab"/>: exact, and the reference that
/// approximate indexes are measured against. One loop specialized per metric (see <see cref="IDistance"/>).
/// </summary>
public static class ExactSearch
{
    // One top-k per thread: steady-state searches allocate only their result array.
    [ThreadStatic]
    private static TopK? _threadTopK;

    /// <summary>
    /// Scans every live slot for which <paramref name="accept"/> is true (null accepts all) and returns up to
    /// <paramref name="k"/> slots with score at least <paramref name="scoreThreshold"/> (null: no threshold),
    /// best first, ties broken by the smaller slot. The caller holds the slab's read lock.
    /// </summary>
    public static ScoredSlot[] Search(
        VectorSlab slab,
        DistanceMetric metric,
        ReadOnlySpan<float> query,
        int k,
        float? scoreThreshold,
        Func<int, bool>? accept)
    {
        CheckArguments(slab, query, k, scoreThreshold);
        if (k == 0 || slab.Count == 0)
        {
            return [];
        }

        return metric switch
        {
            DistanceMetric.Cosine => Search<CosineDistance>(slab, query, k, scoreThreshold, accept),
            DistanceMetric.Dot => Search<DotDistance>(slab, query, k, scoreThreshold, accept),
            DistanceMetric.Euclidean => Search<EuclideanDistance>(slab, query, k, scoreThreshold, accept),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown distance metric."),
        };
    }

    /// <summary>
    /// Like <see cref="Search(VectorSlab, DistanceMetric, ReadOnlySpan{float}, int, float?, Func{int, bool}?)"/>, but
    /// scores only <paramref name="candidates"/> (slots from a metadata index; dead ones are skipped).
    /// </summary>
    public static ScoredSlot[] SearchCandidates(
        VectorSlab slab,
        DistanceMetric metric,
        ReadOnlySpan<float> query,
        int k,
        float? scoreThreshold,
        ReadOnlySpan<int> candidates,
        Func<int, bool>? accept)
    {
        CheckArguments(slab, query, k, scoreThreshold);
        if (k == 0 || candidates.IsEmpty)
        {
            return [];
        }

        return metric switch
        {
            DistanceMetric.Cosine => Search<CosineDistance>(slab, query, k, scoreThreshold, candidates, accept),
            DistanceMetric.Dot => Search<DotDistance>(slab, query, k, scoreThreshold, candidates, accept),
            DistanceMetric.Euclidean => Search<EuclideanDistance>(slab, query, k, scoreThreshold, candidates, accept),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown distance metric."),
        };
    }

    private static void CheckArguments(VectorSlab slab, ReadOnlySpan<float> query, int k, float? scoreThreshold)
    {
        ArgumentNullException.ThrowIfNull(slab);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (query.Length != slab.Dimension)
        {
            throw new ArgumentException(
                $"The query has {query.Length} values; the vectors have {slab.Dimension}.", nameof(query));
        }

        if (scoreThreshold is float t && float.IsNaN(t))
        {
            throw new ArgumentException("The score threshold must not be NaN.", nameof(scoreThreshold));
        }
    }

    /// <summary>The score of one pair (inverse norms computed here), for tests and rescoring.</summary>
    public static float Score(DistanceMetric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("The vectors must have the same length.", nameof(b));
        }

        return metric switch
        {
            DistanceMetric.Cosine => CosineDistance.Score(a, b, VectorKernels.InverseNorm(a), VectorKernels.InverseNorm(b)),
            DistanceMetric.Dot => DotDistance.Score(a, b, 0f, 0f),
            DistanceMetric.Euclidean => EuclideanDistance.Score(a, b, 0f, 0f),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown distance metric."),
        };
    }

    private static ScoredSlot[] Search<TDistance>(
        VectorSlab slab,
        ReadOnlySpan<float> query,
        int k,
        float? scoreThreshold,
        Func<int, bool>? accept)
        where TDistance : struct, IDistance, IScanDistance
    {
        // Taken out of the slot while in use, so an accept delegate that itself searches gets its own.
        var topK = _threadTopK ?? new TopK(k);
        _threadTopK = null;
        topK.Reset(Math.Min(k, slab.Count));

        float queryInvNorm = VectorKernels.InverseNorm(query);
        float floor = scoreThreshold is float t ? TDistance.RawThreshold(t) : float.NegativeInfinity;

        // Locals so the loop reads fields once; the arrays cannot change while the caller holds the read lock.
        float[] data = slab.Data;
        int offset = slab.DataOffset;
        float[] inverseNorms = slab.InverseNorms;
        bool[] live = slab.LiveFlags;
        int dimension = slab.Dimension;
        int highWater = slab.HighWater;

        for (int slot = 0; slot < highWater; slot++)
        {
            if (!live[slot] || (accept is not null && !accept(slot)))
            {
                continue;
            }

            float raw = TDistance.RawScore(
                query, new ReadOnlySpan<float>(data, offset + (slot * dimension), dimension), queryInvNorm, inverseNorms[slot]);

            // Written as a negated >= so NaN scores are dropped here too. Below the top-k's threshold a
            // candidate cannot enter, which skips the heap call for almost every slot of a large scan.
            if (!(raw >= floor) || raw < topK.Threshold)
            {
                continue;
            }

            topK.Add(slot, raw);
        }

        _threadTopK = topK;
        return Finish<TDistance>(topK, scoreThreshold);
    }

    private static ScoredSlot[] Search<TDistance>(
        VectorSlab slab,
        ReadOnlySpan<float> query,
        int k,
        float? scoreThreshold,
        ReadOnlySpan<int> candidates,
        Func<int, bool>? accept)
        where TDistance : struct, IDistance, IScanDistance
    {
        var topK = _threadTopK ?? new TopK(k);
        _threadTopK = null;
        topK.Reset(Math.Min(k, candidates.Length));
        float queryInvNorm = VectorKernels.InverseNorm(query);
        float floor = scoreThreshold is float t ? TDistance.RawThreshold(t) : float.NegativeInfinity;
        foreach (var slot in candidates)
        {
            if (!slab.IsLive(slot) || (accept is not null && !accept(slot)))
            {
                continue;
            }

            float raw = TDistance.RawScore(query, slab.Vector(slot), queryInvNorm, slab.InverseNorms[slot]);
            if (!(raw >= floor) || raw < topK.Threshold)
            {
                continue;
            }

            topK.Add(slot, raw);
        }

        _threadTopK = topK;
        return Finish<TDistance>(topK, scoreThreshold);
    }

    private static ScoredSlot[] Finish<TDistance>(TopK topK, float? scoreThreshold)
        where TDistance : struct, IDistance, IScanDistance
    {
        var results = topK.ToSortedArray();
        int kept = 0;
        for (int i = 0; i < results.Length; i++)
        {
            float score = TDistance.ToScore(results[i].Score);

            // The raw floor may admit boundary candidates; the public score decides. Results are sorted and
            // ToScore is monotone, so the first miss ends the list.
            if (scoreThreshold is float threshold && !(score >= threshold))
            {
                break;
            }

            results[kept++] = new ScoredSlot(results[i].Slot, score);
        }

        // Distinct raw scores can round to one public score (Euclidean's sqrt); re-sorting restores the
        // smaller-slot tie rule on the scores the caller sees. The input is nearly sorted and only k long.
        var final = results.AsSpan(0, kept);
        final.Sort(default(TopK.BestFirst));
        return kept == results.Length ? results : final.ToArray();
    }
}
