using Piramid.TestKit;

namespace Piramid.Client.Tests.Support;

/// <summary>The TypeScript client's folder, with its dependencies installed and compiled once per test run.</summary>
public static class TypeScriptPackage
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _built;

    /// <summary>src/Shared/piramid-client-ts.</summary>
    public static string Directory { get; } = Path.Combine(RepositoryPaths.Root, "src", "Shared", "piramid-client-ts");

    /// <summary>Installs the locked dependencies when they are missing (<c>npm ci</c>, as ./piramid test does) and compiles.</summary>
    public static async Task BuildAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_built)
            {
                return;
            }

            if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
            {
                await RunAsync("npm", ["ci", "--no-audit", "--no-fund"]);
            }

            await RunAsync("npm", ["run", "build"]);
            _built = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task RunAsync(string program, string[] arguments)
    {
        var result = await ChildProcess.RunAsync(program, arguments, Directory, null, TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}");
    }
}
