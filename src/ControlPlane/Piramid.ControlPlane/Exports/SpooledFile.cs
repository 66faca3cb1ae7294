using System.Security.Cryptography;

namespace Piramid.ControlPlane.Exports;

/// <summary>
/// A stream copied to a temporary file while its SHA-256 and length are computed: the backup store needs both
/// before a put, and an engine's export (or a client's upload) only has them at its end. Disk, not memory, holds it.
/// </summary>
public sealed class SpooledFile : IAsyncDisposable
{
    private readonly string _path;

    private SpooledFile(string path, long length, string sha256)
    {
        _path = path;
        Length = length;
        Sha256 = sha256;
    }

    /// <summary>Bytes copied.</summary>
    public long Length { get; }

    /// <summary>SHA-256 of the bytes, lowercase hex.</summary>
    public string Sha256 { get; }

    /// <summary>Copies <paramref name="source"/> to its end, reporting the bytes so far.</summary>
    public static async Task<SpooledFile> CopyAsync(Stream source, Action<long>? progress, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), "piramid-spool-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                // A tenant's points: readable by the control plane's user only.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new FileStream(path, options))
            {
                var buffer = new byte[128 * 1024];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    length += read;
                    progress?.Invoke(length);
                }
            }

            return new SpooledFile(path, length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Opens the copy for reading.</summary>
    public Stream OpenRead() => new FileStream(path: _path, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous);

    /// <summary>Deletes the copy.</summary>
    public ValueTask DisposeAsync()
    {
        File.Delete(_path);
        return ValueTask.CompletedTask;
    }
}
