using System.Buffers;

namespace Piramid.DataPlane.Api;

/// <summary>
/// A write-only stream in front of a response body. It holds what is written, up to <c>limit</c> bytes, so that
/// <see cref="CompleteAsync"/> can send it with a Content-Length in one write. Past the limit it sends what it
/// holds and passes every later write through (the response is then chunked). Asynchronous writes only, as
/// Kestrel requires.
/// </summary>
internal sealed class LengthFirstStream(HttpResponse response, int limit) : Stream
{
    private byte[]? _held;
    private int _count;
    private bool _passingThrough;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_passingThrough && _count + buffer.Length <= limit)
        {
            Hold(buffer.Span);
            return;
        }

        if (!_passingThrough)
        {
            _passingThrough = true;
            if (_count > 0)
            {
                await response.Body.WriteAsync(_held.AsMemory(0, _count), cancellationToken);
            }

            Release();
        }

        await response.Body.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Flushes only once passing through: before that, a flush would send the headers without a length.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _passingThrough ? response.Body.FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Sends what is held, with its length; call once, after the last write.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_passingThrough)
        {
            return;
        }

        response.ContentLength = _count;
        if (_count > 0)
        {
            await response.Body.WriteAsync(_held.AsMemory(0, _count), cancellationToken);
        }

        Release();
    }

    public override void Flush()
    {
        // Nothing to do synchronously: held bytes go out in CompleteAsync, passed-through ones are flushed async.
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Write asynchronously: Kestrel allows no synchronous I/O.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Release();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Release();
        return base.DisposeAsync();
    }

    private void Hold(ReadOnlySpan<byte> data)
    {
        if (_held is null || _held.Length < _count + data.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(limit, Math.Max(_count + data.Length, (_held?.Length ?? 0) * 2)));
            _held?.AsSpan(0, _count).CopyTo(bigger);
            Release();
            _held = bigger;
        }

        data.CopyTo(_held.AsSpan(_count));
        _count += data.Length;
    }

    private void Release()
    {
        if (_held is not null)
        {
            ArrayPool<byte>.Shared.Return(_held);
            _held = null;
        }
    }
}
