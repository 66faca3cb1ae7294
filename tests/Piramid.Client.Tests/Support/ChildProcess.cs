using System.Diagnostics;
using System.Text;

namespace Piramid.Client.Tests.Support;

/// <summary>Runs a program to its end and captures its output (for node, npm and the .NET example).</summary>
public static class ChildProcess
{
    /// <summary>The exit code and the interleaved stdout and stderr.</summary>
    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs <paramref name="program"/>; killed (and reported as exit -1) after <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Result(-1, $"{Text(output)}\n(killed after {timeout})");
        }

        return new Result(process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
