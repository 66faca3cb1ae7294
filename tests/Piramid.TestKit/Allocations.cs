namespace Piramid.TestKit;

/// <summary>Measures what a piece of code allocates on the calling thread.</summary>
public static class Allocations
{
    /// <summary>
    /// The fewest bytes that <paramref name="round"/> allocated over several rounds. The runtime may allocate
    /// once on the thread while the code's methods tier up (CI saw it under load); an allocation of the code
    /// itself shows in every round, so the minimum still catches it.
    /// </summary>
    public static long FewestBytes(Action round, int rounds = 5)
    {
        var fewest = long.MaxValue;
        for (var i = 0; i < rounds; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            round();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
