using System.Runtime.InteropServices;

namespace Piramid.Engine.Collections;

/// <summary>
/// Runs link workers below the priority of request handling. Linking is CPU-bound for hundreds of microseconds per
/// node; at the same priority it takes the cores from the requests that accept writes and serve searches
/// (docs/design/ingest.md). Linux only: a thread's nice value is per thread there (setpriority on its tid); .NET's
/// <see cref="Thread.Priority"/> does nothing on Linux.
/// </summary>
internal static partial class LinkerThread
{
    // Nice 10: the scheduler gives a thread at nice 0 about ten times its share when both want the core.
    private const int Nice = 10;
    private const int PrioProcess = 0;

    /// <summary>Workers per collection when <c>Engine:LinkWorkers</c> is 0: every core but one, which stays with requests.</summary>
    public static int DefaultWorkers => Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Lowers the calling thread's priority (best effort: unchanged where the system refuses).</summary>
    public static void LowerPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = SetPriority(PrioProcess, GetTid(), Nice);
        }
        catch (EntryPointNotFoundException)
        {
            // A libc without gettid: the worker runs at normal priority.
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);
}
