namespace Piramid.TestKit.Processes;

/// <summary>How to start one engine process for a test.</summary>
public sealed class EngineProcessOptions
{
    /// <summary>Data directory.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// Platform key, base64 of 32 bytes. The engine never gets it: the harness plays the control plane,
    /// unwraps (or creates) the directory's data key with it and hands the engine a key file.
    /// </summary>
    public required string PlatformKey { get; init; }

    /// <summary>A data key (base64) to hand the engine instead of the directory's own (to test a wrong key).</summary>
    public string? DataKey { get; init; }

    /// <summary>Raw key file content to hand the engine instead of a well-formed one (to test a malformed file).</summary>
    public string? KeyFileText { get; init; }

    /// <summary>Identity-signing secret, base64.</summary>
    public required string EngineSecret { get; init; }

    /// <summary>Tenant id.</summary>
    public string TenantId { get; init; } = "t-test";

    /// <summary>Durability policy text.</summary>
    public string Durability { get; init; } = "batch";

    /// <summary>Extra configuration as environment variables (e.g. <c>Engine__MaxPoints</c>).</summary>
    public IDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Wait for readiness at most this long.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
