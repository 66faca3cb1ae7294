using Microsoft.Extensions.Options;
using Piramid.DataPlane.Security;
using Piramid.Engine;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;
using Piramid.KeyWrapping;

namespace Piramid.DataPlane.Hosting;

/// <summary>
/// Opens the engine when the host starts and closes it when the host has stopped. Opening (key file, data
/// directory lock, recovery) runs in <see cref="StartingAsync"/>, before any hosted service starts and so before
/// Kestrel listens: the process is never reachable, let alone ready, with an engine that is not open. Closing
/// (flush, checkpoint every collection, release the lock) runs in <see cref="StoppedAsync"/>, after the server
/// has stopped accepting and drained in-flight requests.
/// </summary>
internal sealed class EngineLifetime(IOptions<EngineHostOptions> options, TimeProvider time) : IHostedLifecycleService
{
    /// <summary>Test seam: the restore step at which the process kills itself (docs/design/backups.md, "Crash safety").</summary>
    public const string RestoreAbortVariable = "PIRAMID_TEST_RESTORE_ABORT_AT";

    private VectorEngine? _engine;
    private InternalAuthSettings? _authSettings;

    /// <summary>The open engine; throws before the host has started.</summary>
    public VectorEngine Engine => _engine ?? throw new InvalidOperationException("The engine is not open yet: it opens when the host starts.");

    /// <summary>The settings of internal authentication, from the key file; throws before the host has started.</summary>
    public InternalAuthSettings AuthSettings => _authSettings ?? throw new InvalidOperationException("The key file is read when the host starts.");

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        EngineKeyFileContent keys;
        try
        {
            keys = EngineKeyFile.Read(settings.KeyFile);
        }
        catch (EngineKeyFileException e)
        {
            throw new EngineStartException($"{e.Message} (configuration 'Engine:KeyFile')", e);
        }

        if (!string.Equals(keys.TenantId, settings.TenantId, StringComparison.Ordinal))
        {
            keys.Dispose();
            throw new EngineStartException(
                $"the key file 'Engine:KeyFile' ({settings.KeyFile}) holds the keys of tenant '{keys.TenantId}', not of 'Engine:TenantId' '{settings.TenantId}'.");
        }

        var dataKey = DataKey.FromBytes(keys.DataKey);
        keys.ClearDataKey(); // The engine's DataKey holds the only clear copy from here on.
        try
        {
            _engine = VectorEngine.Open(
                new EngineOptions
                {
                    DataDirectory = Path.GetFullPath(settings.DataDirectory),
                    Durability = DurabilityPolicy.Parse(settings.Durability), // validated at start (EngineDurabilityValidator)
                    WalSegmentBytes = settings.WalSegmentBytes,
                    MaintenanceInterval = TimeSpan.FromSeconds(settings.MaintenanceIntervalSeconds),
                    IdempotencyRetention = TimeSpan.FromHours(settings.IdempotencyRetentionHours),
                    IdempotencyMaxKeys = settings.IdempotencyMaxKeys,
                    RecoveryWindow = TimeSpan.FromSeconds(settings.RecoveryWindowSeconds),
                    UnarchivedWalLimitBytes = settings.UnarchivedWalLimitBytes,
                    WalSealInterval = TimeSpan.FromSeconds(settings.WalSealIntervalSeconds),
                    SnapshotLifetime = TimeSpan.FromSeconds(settings.SnapshotLifetimeSeconds),
                    MaxUnlinkedPoints = settings.MaxUnlinkedPoints,
                    LinkWorkers = settings.LinkWorkers,
                    RestoreAbortStep = Environment.GetEnvironmentVariable(RestoreAbortVariable),
                    Time = time,
                    Quotas = new EngineQuotas
                    {
                        MaxCollections = settings.MaxCollections,
                        MaxPoints = settings.MaxPoints,
                        MaxDimension = settings.MaxDimension,
                        MaxStorageBytes = settings.MaxStorageBytes,
                    },
                },
                dataKey); // The engine owns the data key from here on.
        }
        catch (Exception e) when (e is DataDirectoryLockedException or InvalidOperationException or StorageCorruptedException
            or IOException or UnauthorizedAccessException)
        {
            throw new EngineStartException(e.Message, e);
        }

        _authSettings = new InternalAuthSettings(settings.TenantId, keys.EngineSecret, TimeSpan.FromSeconds(settings.MaxIdentityAgeSeconds));
        EngineTelemetry.ObserveEngine(_engine);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_engine is { } engine)
        {
            await engine.DisposeAsync();
        }
    }
}
