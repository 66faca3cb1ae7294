using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Piramid.Benchmarks;

/// <summary>
/// Pins running processes to sets of CPUs, every thread of them, with <c>sched_setaffinity</c>. Threads a
/// pinned thread starts later inherit its set. <see cref="Dispose"/> gives every pinned process all CPUs
/// back, since the gateway outlives the benchmark.
/// </summary>
internal sealed partial class CpuPlacement : IDisposable
{
    private readonly List<int> _pinned = [];

    /// <summary>Pins every thread of <paramref name="pid"/> to <paramref name="cpus"/>.</summary>
    public void Pin(int pid, IReadOnlyCollection<int> cpus)
    {
        _pinned.Add(pid);
        SetAffinity(pid, cpus);
    }

    public void Dispose()
    {
        var all = Enumerable.Range(0, Environment.ProcessorCount).ToArray();
        foreach (var pid in _pinned)
        {
            try
            {
                SetAffinity(pid, all);
            }
            catch (DirectoryNotFoundException)
            {
                // The process is gone (the engine of the deleted benchmark tenant).
            }
        }
    }

    private static void SetAffinity(int pid, IReadOnlyCollection<int> cpus)
    {
        var mask = 0UL;
        foreach (var cpu in cpus)
        {
            if (cpu is < 0 or >= 64)
            {
                throw new ArgumentOutOfRangeException(nameof(cpus), cpu, "CPU numbers from 0 to 63 are supported.");
            }

            mask |= 1UL << cpu;
        }

        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
        {
            var tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
            // A thread that exits between the listing and the call fails with ESRCH; any other error is real.
            if (SchedSetAffinity(tid, sizeof(ulong), ref mask) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Esrch)
            {
                throw new Win32Exception(errno, $"sched_setaffinity({tid}) failed");
            }
        }
    }

    private const int Esrch = 3;

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int tid, nint size, ref ulong mask);
}
