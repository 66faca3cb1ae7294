namespace Piramid.Backups.Stores.FaultInjection;

/// <summary>
/// Test seam for crash tests (docs/design/backups.md, "Crash tests"): wraps the real store and, once
/// <see cref="PauseOptions.AfterBytes"/> bytes have flowed through puts (or reads), stops the flow at that exact byte,
/// says so (<see cref="Paused"/>, and the signal file when one is named) and waits until <see cref="Release"/> or
/// cancellation. A test kills a process while it waits, so the kill lands at a known point without any sleep.
/// Only registered when <c>Backups:TestPause:AfterBytes</c> is set; production never sets it.
/// </summary>
public sealed class PausingBackupStore(IBackupStore inner, PauseOptions options) : IBackupStore
{
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _seen;

    /// <summary>Completes when the flow has stopped at the configured byte.</summary>
    public Task Paused => _paused.Task;

    /// <summary>Lets the stopped flow go on.</summary>
    public void Release() => _released.TrySetResult();

    /// <inheritdoc />
    public string Describe => inner.Describe;

    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, long length, string sha256Hex, IProgress<long>? progress, CancellationToken ct) =>
        options.OnRead
            ? inner.PutAsync(key, content, length, sha256Hex, progress, ct)
            : inner.PutAsync(key, new GateStream(content, this), length, sha256Hex, progress, ct);

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, string sha256Hex, CancellationToken ct)
    {
        var stream = await inner.OpenReadAsync(key, sha256Hex, ct);
        return options.OnRead ? new GateStream(stream, this) : stream;
    }

    /// <inheritdoc />
    public Task<BackupObjectInfo?> StatAsync(string key, CancellationToken ct) => inner.StatAsync(key, ct);

    /// <inheritdoc />
    public IAsyncEnumerable<BackupObjectInfo> ListAsync(string prefix, CancellationToken ct) => inner.ListAsync(prefix, ct);

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);

    /// <inheritdoc />
    public Task<int> DeletePrefixAsync(string prefix, CancellationToken ct) => inner.DeletePrefixAsync(prefix, ct);

    /// <summary>How many bytes the next read may return before the pause (all of them once released).</summary>
    private async ValueTask<int> AllowAsync(int wanted, CancellationToken ct)
    {
        if (_released.Task.IsCompleted)
        {
            return wanted;
        }

        // Counted on what reads actually return (a read may return less than it was allowed), so the pause lands on
        // exactly the configured byte of the flow, not at the end of a short object.
        var left = (options.AfterBytes ?? 0) - Interlocked.Read(ref _seen);
        if (left > 0)
        {
            return (int)Math.Min((long)wanted, left);
        }

        if (options.SignalFile is { } file && !_paused.Task.IsCompleted)
        {
            await File.WriteAllTextAsync(file, $"{Environment.ProcessId}\n", ct);
        }

        _paused.TrySetResult();
        await _released.Task.WaitAsync(ct);
        return wanted;
    }

    private sealed class GateStream(Stream inner, PausingBackupStore gate) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length == 0)
            {
                return 0;
            }

            var allowed = await gate.AllowAsync(buffer.Length, cancellationToken);
            var read = await inner.ReadAsync(buffer[..allowed], cancellationToken);
            Interlocked.Add(ref gate._seen, read);
            return read;
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
    }
}
