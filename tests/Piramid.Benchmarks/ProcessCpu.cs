using System.Globalization;

namespace Piramid.Benchmarks;

/// <summary>
/// CPU time (user + system) of named processes, read from <c>/proc/&lt;pid&gt;/stat</c>. On a machine whose
/// cores the load generator, the gateway and the engine share, CPU per request says where the throughput
/// goes, which wall-clock numbers alone cannot. A process that is not found is left out.
/// </summary>
internal sealed class ProcessCpu(IReadOnlyDictionary<string, int?> pids)
{
    // Clock ticks per second of utime/stime; 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    private readonly Dictionary<string, int> _pids = pids.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.Value);

    /// <summary>The processes measured, in the order <see cref="Sample"/> reports them.</summary>
    public IEnumerable<string> Names => _pids.Keys;

    /// <summary>The pid of each measured process.</summary>
    public IReadOnlyDictionary<string, int> Pids => _pids;

    /// <summary>CPU time used so far by each process.</summary>
    public Dictionary<string, TimeSpan> Sample() => _pids.ToDictionary(p => p.Key, p => Read(p.Value));

    /// <summary>
    /// Waits until <paramref name="name"/> uses under 5% of a core over a second (or <paramref name="timeout"/>
    /// passes); returns how long that took. Returns at once for a process that is not measured.
    /// </summary>
    public async Task<TimeSpan> WaitIdleAsync(string name, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (!_pids.TryGetValue(name, out var pid))
        {
            return TimeSpan.Zero;
        }

        var before = Read(pid);
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = Read(pid);
            if (now - before < TimeSpan.FromMilliseconds(50))
            {
                break;
            }

            before = now;
        }

        return clock.Elapsed;
    }

    /// <summary>The pid of the process started with <paramref name="name"/>=<paramref name="value"/> in its environment.</summary>
    public static int? FindByEnvironment(string name, string value)
    {
        var wanted = $"{name}={value}";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(wanted))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours.
            }
        }

        return null;
    }

    private static TimeSpan Read(int pid)
    {
        // "pid (comm) state ppid ...": comm may hold spaces, so fields are counted after the last ')'.
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
