namespace Piramid.TestKit.Processes;

/// <summary>
/// Where the engine executable is: <c>PIRAMID_ENGINE_BINARY</c> (the Native AOT build that <c>./piramid</c>
/// publishes), else the JIT build copied next to the test assembly (so a plain <c>dotnet test</c> works).
/// </summary>
public static class EngineBinary
{
    /// <summary>File name and leading arguments to run the engine.</summary>
    public static (string FileName, string[] Arguments) Resolve()
    {
        var native = Environment.GetEnvironmentVariable("PIRAMID_ENGINE_BINARY");
        if (!string.IsNullOrEmpty(native))
        {
            return File.Exists(native)
                ? (native, [])
                : throw new FileNotFoundException($"PIRAMID_ENGINE_BINARY points to '{native}', which does not exist.");
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "Piramid.DataPlane.dll");
        return File.Exists(dll)
            ? ("dotnet", [dll])
            : throw new FileNotFoundException($"No engine build: neither PIRAMID_ENGINE_BINARY nor {dll}.");
    }
}
