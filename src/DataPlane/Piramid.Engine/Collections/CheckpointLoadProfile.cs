using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Piramid.Engine.Collections;

/// <summary>
/// Time spent in each stage of <see cref="CheckpointCodec.Decode"/> and of an engine's open, summed over chunks and
/// collections, for the benchmarks' <c>load</c> mode (docs/design/hibernation.md, fast start). The engine passes none;
/// its cost is then one null check per stage.
/// </summary>
/// <remarks>
/// Each stage has its wall time and the CPU time of the calling thread since the previous stage ended (Linux;
/// zero elsewhere). On a machine shared with other work the CPU time is the steadier figure: it does not count the
/// time the thread waited for a core.
/// </remarks>
internal sealed partial class CheckpointLoadProfile
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    private readonly Dictionary<string, (long Ticks, long CpuNanoseconds)> _stages = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private long _cpuAt = ThreadCpuNanoseconds();

    /// <summary>The stages in the order they first ran, with their summed wall time.</summary>
    public IEnumerable<(string Stage, TimeSpan Time)> Stages =>
        _order.Select(stage => (stage, Stopwatch.GetElapsedTime(0, _stages[stage].Ticks)));

    /// <summary>The stages in the order they first ran, with the calling thread's summed CPU time.</summary>
    public IEnumerable<(string Stage, TimeSpan Time)> CpuStages =>
        _order.Select(stage => (stage, TimeSpan.FromTicks(_stages[stage].CpuNanoseconds / 100)));

    /// <summary>Adds the time since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>) to <paramref name="stage"/>; returns now.</summary>
    public long Add(string stage, long started)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = ThreadCpuNanoseconds();
        if (!_stages.TryGetValue(stage, out var sums))
        {
            _order.Add(stage);
        }

        _stages[stage] = (sums.Ticks + (now - started), sums.CpuNanoseconds + (cpu - _cpuAt));
        _cpuAt = cpu;
        return now;
    }

    private static long ThreadCpuNanoseconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuClock, out var time) == 0 ? (time.Seconds * 1_000_000_000) + time.Nanoseconds : 0;

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
