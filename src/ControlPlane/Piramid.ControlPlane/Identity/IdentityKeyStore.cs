using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// Holds the issuer's keys, read (or created) from <see cref="IdentityOptions.SigningKeyFile"/> on first use, not
/// while services are registered: registration stays free of I/O, and <see cref="IdentityKeyLoader"/> touches the
/// store when the host starts, so a missing directory or a bad file still fails the start.
/// </summary>
public sealed class IdentityKeyStore(IOptions<IdentityOptions> options) : IDisposable
{
    private readonly Lazy<IdentityKeys> _keys = new(() => IdentityKeys.LoadOrCreate(options.Value.SigningKeyFile), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The keys; the first call reads or creates the file.</summary>
    public IdentityKeys Keys => _keys.Value;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_keys.IsValueCreated)
        {
            _keys.Value.Dispose();
        }
    }
}

/// <summary>Loads the keys when the host starts (before the server takes requests).</summary>
internal sealed class IdentityKeyLoader(IdentityKeyStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = store.Keys;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
