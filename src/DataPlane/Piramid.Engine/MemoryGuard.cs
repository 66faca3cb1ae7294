namespace Piramid.Engine;

/// <summary>
/// Refuses a write the engine's memory cannot afford before it reaches the log, so a tenant at its limit
/// gets a clear 507 instead of an engine dying of OutOfMemoryException. The limit is the runtime's: the GC
/// heap hard limit the orchestrator sets (<c>DOTNET_GCHeapHardLimit</c>), else the machine's or cgroup's memory.
/// </summary>
public static class MemoryGuard
{
    // Room kept free for what a write allocates besides its payload (index links, a grown slab, the answer):
    // a write is refused once the heap would pass 85 % of the limit.
    private const double Ceiling = 0.85;

    // In memory a point costs several times its encoded payload: the vector slab, metadata objects, id maps.
    private const int PayloadExpansion = 4;

    /// <summary>The memory the GC may use, in bytes.</summary>
    public static long Limit => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Throws 507 <c>insufficient-memory</c> when <paramref name="payloadBytes"/> more would pass the ceiling.</summary>
    public static void CheckWrite(long payloadBytes)
    {
        var limit = Limit;
        var ceiling = (long)(limit * Ceiling);
        var need = payloadBytes * PayloadExpansion;
        if (GC.GetTotalMemory(forceFullCollection: false) + need <= ceiling)
        {
            return;
        }

        // Near the ceiling, garbage may be what fills it: count only live objects before refusing.
        var live = GC.GetTotalMemory(forceFullCollection: true);
        if (live + need > ceiling)
        {
            throw EngineException.InsufficientMemory(
                $"The engine's memory limit of {limit} bytes would be passed: {live} bytes in use, about {need} more for this write. " +
                "Nothing was stored. Delete points or collections, or ask the operator for a larger memory limit.");
        }
    }
}
