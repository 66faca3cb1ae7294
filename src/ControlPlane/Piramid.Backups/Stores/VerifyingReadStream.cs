using System.Security.Cryptography;

namespace Piramid.Backups.Stores;

/// <summary>
/// A read-only stream that hashes what passes through it and checks length and SHA-256 at the end. The check runs
/// inside the read that reaches the last byte, before that read returns: a reader never gets a whole object that
/// does not match, and a restore writing as it reads fails before it could treat the copy as complete.
/// </summary>
internal sealed class VerifyingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly IDisposable? _owner;
    private readonly string _key;
    private readonly long _expectedLength;
    private readonly byte[] _expectedHash;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private bool _verified;

    /// <param name="inner">The object's bytes.</param>
    /// <param name="key">Named in errors.</param>
    /// <param name="expectedLength">The object's size as stored; a shorter stream is truncated.</param>
    /// <param name="sha256Hex">The digest the caller expects.</param>
    /// <param name="owner">Disposed with the stream (an HTTP response).</param>
    public VerifyingReadStream(Stream inner, string key, long expectedLength, string sha256Hex, IDisposable? owner = null)
    {
        _inner = inner;
        _owner = owner;
        _key = key;
        _expectedLength = expectedLength;
        _expectedHash = Convert.FromHexString(sha256Hex);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _expectedLength;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var read = _inner.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var read = await _inner.ReadAsync(buffer, cancellationToken);
        Account(buffer.Span[..read]);
        return read;
    }

    // Runs on every read before its bytes are handed out: throws instead of returning bytes past the declared
    // length, an early end, or the last bytes of a mismatching object.
    private void Account(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            if (_position < _expectedLength)
            {
                throw new BackupObjectCorruptedException(_key, $"truncated: it ended after {_position} of {_expectedLength} bytes.");
            }

            Verify();
            return;
        }

        if (_verified || _position + chunk.Length > _expectedLength)
        {
            throw new BackupObjectCorruptedException(_key, $"longer than its stored size of {_expectedLength} bytes.");
        }

        _position += chunk.Length;
        _hash.AppendData(chunk);
        if (_position == _expectedLength)
        {
            Verify();
        }
    }

    private void Verify()
    {
        if (_verified)
        {
            return;
        }

        var actual = _hash.GetHashAndReset();
        if (!CryptographicOperations.FixedTimeEquals(actual, _expectedHash))
        {
            throw new BackupObjectCorruptedException(
                _key, $"its content hashes to {Sha256Hex.Of(actual)}, {Sha256Hex.Of(_expectedHash)} expected.");
        }

        _verified = true;
    }

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
            _inner.Dispose();
            _owner?.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
