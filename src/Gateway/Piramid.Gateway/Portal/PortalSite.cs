using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Piramid.Gateway.Portal;

/// <summary>
/// The portal's directory as a file provider (a singleton, so the container disposes its watcher), or none when
/// <see cref="GatewayOptions.PortalDirectory"/> is unset. The provider refuses paths above its root and hides dot files.
/// </summary>
public sealed class PortalSite : IDisposable
{
    /// <summary>Reads the validated options.</summary>
    public PortalSite(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = options.Value.PortalDirectory;
        if (!string.IsNullOrWhiteSpace(directory))
        {
            Files = new PhysicalFileProvider(Path.GetFullPath(directory));
        }
    }

    /// <summary>The portal's files; null when the gateway serves no portal.</summary>
    public PhysicalFileProvider? Files { get; }

    /// <inheritdoc />
    public void Dispose() => Files?.Dispose();
}
