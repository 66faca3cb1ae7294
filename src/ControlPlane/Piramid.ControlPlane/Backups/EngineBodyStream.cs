using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// The body of a file the engine streams. An engine that dies midway breaks the connection, which surfaces as a bare
/// <see cref="IOException"/> from a read deep inside the store; this turns it into the engine-unavailable problem
/// naming the tenant and the file, so the operation fails saying why instead of "failed unexpectedly".
/// </summary>
internal sealed class EngineBodyStream(Stream inner, string tenantId, string what) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (IOException e)
        {
            throw Stopped(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException e)
        {
            throw Stopped(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private ProblemException Stopped(IOException cause) => new(ProblemCatalog.EngineUnavailable,
        $"The engine of tenant '{tenantId}' stopped while sending {what} ({cause.Message}); nothing of it was kept. Start it again once the engine is back.");
}
