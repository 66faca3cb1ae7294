using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;

namespace Piramid.Engine.Tests.Search.Hnsw;

/// <summary>
/// Both heap orders against a sorted reference under random sequences of push, pop and replace-top (the
/// bounded result set's step), with ties and growth past the initial array: the top, the count and the drained
/// order always match.
/// </summary>
public sealed class ScoreHeapTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MaxHeap_RandomOperations_MatchSortedReference(int seed) =>
        RunAgainstReference(new ScoreHeap<BestOnTop>(), seed, bestOnTop: true);

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void MinHeap_RandomOperations_MatchSortedReference(int seed) =>
        RunAgainstReference(new ScoreHeap<WorstOnTop>(), seed, bestOnTop: false);

    [Fact]
    public void BoundedResults_ReplaceTopKeepsTheBestK()
    {
        // The walk's use: keep the k best of a stream, replacing the worst when a better one arrives.
        var random = new Random(7);
        for (int k = 1; k <= 300; k += 13)
        {
            var heap = new ScoreHeap<WorstOnTop>();
            var all = new List<float>();
            for (int n = 0; n < 2_000; n++)
            {
                float score = random.Next(500) / 7f; // many ties
                all.Add(score);
                if (heap.Count < k)
                {
                    heap.Push(n, score);
                }
                else if (score > heap.Top.Score)
                {
                    heap.ReplaceTop(n, score);
                }
            }

            var found = new ScoredSlot[heap.Count];
            int count = heap.DrainBestFirst(found);
            var expected = all.OrderByDescending(s => s).Take(k).ToArray();
            Assert.Equal(expected, found.Take(count).Select(f => f.Score).ToArray());
        }
    }

    [Fact]
    public void Pop_Empty_Throws()
    {
        var heap = new ScoreHeap<BestOnTop>();
        Assert.Throws<InvalidOperationException>(() => heap.Pop());
        heap.Push(1, 1f);
        heap.Pop();
        Assert.Throws<InvalidOperationException>(() => heap.Pop());
    }

    private static void RunAgainstReference<TOrder>(ScoreHeap<TOrder> heap, int seed, bool bestOnTop)
        where TOrder : struct, IHeapOrder
    {
        var random = new Random(seed);
        var reference = new List<float>();
        for (int step = 0; step < 20_000; step++)
        {
            int op = random.Next(10);
            float score = random.Next(1_000) / 3f;
            if (op < 5 || reference.Count == 0)
            {
                heap.Push(step, score);
                reference.Add(score);
            }
            else if (op < 8)
            {
                var popped = heap.Pop();
                float expected = bestOnTop ? reference.Max() : reference.Min();
                Assert.Equal(expected, popped.Score);
                reference.Remove(expected);
            }
            else
            {
                float top = bestOnTop ? reference.Max() : reference.Min();
                Assert.Equal(top, heap.Top.Score);
                heap.ReplaceTop(step, score);
                reference.Remove(top);
                reference.Add(score);
            }

            Assert.Equal(reference.Count, heap.Count);
            if (reference.Count > 0)
            {
                Assert.Equal(bestOnTop ? reference.Max() : reference.Min(), heap.Top.Score);
            }
        }

        var drained = new ScoredSlot[heap.Count];
        int n = heap.DrainBestFirst(drained);
        Assert.Equal(reference.OrderByDescending(s => s).ToArray(), drained.Take(n).Select(d => d.Score).ToArray());
        Assert.Equal(0, heap.Count);
    }
}
