using System.Diagnostics;

namespace Piramid.EndToEnd.Tests.Support;

/// <summary>
/// The real <c>terraform</c> binary in a working directory, with the CLI configuration <c>./piramid up</c> wrote (the
/// provider from the offline mirror) and the provider's <c>PIRAMID_*</c> variables.
/// </summary>
public sealed class TerraformCli(string workingDirectory, IReadOnlyDictionary<string, string> environment)
{
    /// <summary>Where this machine's image installs terraform 1.11.4.</summary>
    public const string Binary = "/usr/local/bin/terraform";

    /// <summary>The outcome of one command.</summary>
    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed);

    /// <summary>Runs <c>terraform args</c> (no colour, no prompts) and waits for it.</summary>
    public async Task<Result> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "PIRAMID_API_KEY", "TF_LOG", "TF_PLUGIN_CACHE_DIR", "TF_CLI_ARGS" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["CHECKPOINT_DISABLE"] = "1";
        start.Environment["TF_IN_AUTOMATION"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout + await stderr, clock.Elapsed);
    }
}

/// <summary>A fact that is skipped, saying why, where the terraform binary is missing.</summary>
public sealed class TerraformFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <see cref="TerraformCli.Binary"/> does not exist.</summary>
    public TerraformFactAttribute()
    {
        if (!File.Exists(TerraformCli.Binary))
        {
            Skip = $"terraform is not installed at {TerraformCli.Binary} (this kind of machine ships 1.11.4; no registry provides it).";
        }
    }
}
