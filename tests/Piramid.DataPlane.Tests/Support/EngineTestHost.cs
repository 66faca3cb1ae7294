using System.Security.Cryptography;
using Piramid.TestKit;
using Piramid.TestKit.Processes;

namespace Piramid.DataPlane.Tests.Support;

/// <summary>A temp data directory with fresh keys, and the engine processes started on it.</summary>
public sealed class EngineTestHost : IAsyncDisposable
{
    private readonly List<EngineProcess> _started = [];

    /// <summary>Creates the directory and keys.</summary>
    public EngineTestHost(string? dataDirectory = null)
    {
        Temp = new TempDirectory("piramid-engine");
        DataDirectory = dataDirectory ?? Temp.Combine("data");
        PlatformKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        EngineSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>Scratch space.</summary>
    public TempDirectory Temp { get; }

    /// <summary>The engine's data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>Platform key (base64).</summary>
    public string PlatformKey { get; }

    /// <summary>Identity secret (base64).</summary>
    public string EngineSecret { get; }

    /// <summary>Options for a process on this directory.</summary>
    public EngineProcessOptions Options(
        string durability = "batch", IDictionary<string, string>? environment = null, string? dataKey = null, string? keyFileText = null, string? tenantId = null) => new()
        {
            DataDirectory = DataDirectory,
            PlatformKey = PlatformKey,
            DataKey = dataKey,
            KeyFileText = keyFileText,
            TenantId = tenantId ?? "t-test",
            EngineSecret = EngineSecret,
            Durability = durability,
            Environment = environment ?? new Dictionary<string, string>(),
        };

    /// <summary>Starts an engine and waits until it is ready.</summary>
    public async Task<EngineProcess> StartAsync(string durability = "batch", IDictionary<string, string>? environment = null)
    {
        var engine = await EngineProcess.StartAsync(Options(durability, environment));
        _started.Add(engine);
        return engine;
    }

    /// <summary>Starts an engine without waiting (to watch it refuse).</summary>
    public EngineProcess Launch(EngineProcessOptions options)
    {
        var engine = EngineProcess.Launch(options);
        _started.Add(engine);
        return engine;
    }

    /// <summary>Kills what still runs and deletes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _started)
        {
            await engine.DisposeAsync();
        }

        Temp.Dispose();
    }
}
