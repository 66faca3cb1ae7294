using System.Diagnostics;

namespace Piramid.EndToEnd.Tests.Support;

/// <summary>Runs <c>./piramid</c> of a checkout as a user would, with an optional state directory.</summary>
public static class PiramidScript
{
    /// <summary>The outcome of one run.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Both streams, for failure messages.</summary>
        public string Output => StandardOutput + StandardError;
    }

    /// <summary>
    /// Runs <c>&lt;root&gt;/piramid args</c> in <paramref name="root"/>. <paramref name="state"/> null runs with the
    /// default state directory (<c>&lt;root&gt;/.piramid</c>), as a fresh clone does.
    /// </summary>
    public static async Task<Result> RunAsync(string root, string? state, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "piramid"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (state is null)
        {
            start.Environment.Remove("PIRAMID_STATE_DIR");
        }
        else
        {
            start.Environment["PIRAMID_STATE_DIR"] = state;
            start.Environment["Orchestrator__MinHibernateAfter"] = "00:00:01"; // The hibernation test's plan idles 2 s.
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Like <see cref="RunAsync"/>, and throws with the output when the script fails.</summary>
    public static async Task<Result> RunCheckedAsync(string root, string? state, params string[] args)
    {
        var result = await RunAsync(root, state, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"./piramid {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}");
        }

        return result;
    }
}
