using System.Diagnostics;
using System.Globalization;

namespace Piramid.EndToEnd.Tests.Support;

/// <summary>The real <c>psql</c> against the platform's cluster over loopback TCP, as any local user could run it.</summary>
public static class Psql
{
    /// <summary>Runs one SQL command; <paramref name="passFile"/> is the only source of a password (no PGPASSWORD).</summary>
    public static async Task<PiramidScript.Result> RunAsync(int port, string user, string database, string passFile, string sql)
    {
        var start = new ProcessStartInfo("/usr/lib/postgresql/15/bin/psql")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { "-X", "-w", "-tA", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", user, "-d", database, "-c", sql })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("PGPASSWORD");
        start.Environment["PGPASSFILE"] = passFile;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new PiramidScript.Result(process.ExitCode, (await stdout).Trim(), await stderr);
    }
}
