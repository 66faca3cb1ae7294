using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Piramid.Contracts;
using Piramid.Contracts.Exports;
using Piramid.Engine;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Idempotency;

namespace Piramid.DataPlane.Exports;

/// <summary>
/// Streams NDJSON (plain or gzip, told apart by the gzip magic bytes) into a collection through the normal idempotent
/// write path: lines are checked one by one and gathered into batches, each an upsert whose idempotency key is
/// <c>import:{import id}:{batch number}</c>. Batch boundaries depend only on the lines, so a retry of the same file under
/// the same import id replays the batches an earlier attempt applied instead of writing them again. Memory is one
/// batch and one line (docs/design/export-format.md, "Import").
/// </summary>
internal sealed class CollectionImporter(Collection collection, string importId, string scope)
{
    /// <summary>Longest line accepted (a 20,000-dimension vector as JSON numbers and 40 KB of metadata fit easily).</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>A batch is sent once its lines reach this many bytes (or <see cref="Limits.MaxPointsPerUpsert"/> points).</summary>
    public const int BatchBytes = 8 * 1024 * 1024;

    private readonly List<NewPoint?> _points = new(Limits.MaxPointsPerUpsert);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly long _startLsn = collection.LastLsn;
    private long _batchBytes;
    private long _batchFirstLine;
    private long _line;
    private long _applied;
    private long _replayed;
    private long _batches;
    private long _lsn;

    /// <summary>Reads <paramref name="body"/> to its end and applies every line; throws <see cref="ImportFailedException"/>.</summary>
    public async Task<ImportResult> RunAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = await DecompressedAsync(body, cancellationToken);
            var lines = PipeReader.Create(content, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
            while (true)
            {
                var read = await lines.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    await AcceptAsync(buffer.Slice(0, end), cancellationToken);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                if (buffer.Length > MaxLineBytes)
                {
                    throw Failed(EngineErrorKind.InvalidArgument, _line + 1, $"the line is longer than {MaxLineBytes} bytes.");
                }

                if (read.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        await AcceptAsync(buffer, cancellationToken);
                    }

                    break;
                }

                lines.AdvanceTo(buffer.Start, buffer.End);
            }

            await lines.CompleteAsync();
            await FlushAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw Failed(EngineErrorKind.InvalidArgument, _line + 1, "the gzip stream is damaged or truncated.", e);
        }
        finally
        {
            _hash.Dispose();
        }

        return new ImportResult { ImportId = importId, Lines = _line, Points = _applied, ReplayedPoints = _replayed, Batches = _batches, Lsn = _lsn };
    }

    private async Task AcceptAsync(ReadOnlySequence<byte> sequence, CancellationToken cancellationToken)
    {
        _line++;
        if (Parse(sequence) is not { } point)
        {
            return;
        }

        // A batch never holds an id twice (the upsert would refuse it): a repeated id starts the next batch, so the
        // later line wins, as if the lines were written one by one.
        if (_points.Count == Limits.MaxPointsPerUpsert || _batchBytes + sequence.Length > BatchBytes || _ids.Contains(point.Id!))
        {
            await FlushAsync(cancellationToken);
        }

        if (_points.Count == 0)
        {
            _batchFirstLine = _line;
        }

        _points.Add(point);
        _ids.Add(point.Id!);
        _batchBytes += sequence.Length;
        foreach (var segment in sequence)
        {
            _hash.AppendData(segment.Span);
        }

        _hash.AppendData("\n"u8);
    }

    // The point of one line, or null for a blank line; a bad line throws naming its number.
    private NewPoint? Parse(ReadOnlySequence<byte> sequence)
    {
        if (sequence.Length > MaxLineBytes)
        {
            throw Failed(EngineErrorKind.InvalidArgument, _line, $"the line is longer than {MaxLineBytes} bytes.");
        }

        var line = sequence.IsSingleSegment ? sequence.FirstSpan : sequence.ToArray();
        line = line.TrimEnd("\r"u8);
        if (line.Trim(" \t"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            var point = ImportLineParser.Parse(line);
            collection.ValidatePoint(point);
            return point;
        }
        catch (EngineException e) when (e.IsInvalidInput)
        {
            throw Failed(EngineErrorKind.InvalidArgument, _line, e.Message.Replace("points[0].", string.Empty, StringComparison.Ordinal), e);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_points.Count == 0)
        {
            return;
        }

        var key = $"import:{importId}:{_batches + 1}";
        var command = new UpsertPoints([.. _points]) { Idempotency = new WriteIdempotency(scope, key, _hash.GetHashAndReset()) };
        WriteResult result;
        try
        {
            result = await collection.UpsertAsync(command, cancellationToken);
        }
        catch (EngineException e)
        {
            throw Failed(e.Kind, _batchFirstLine, e.Message, e);
        }

        _batches++;
        _applied += result.Count;
        _replayed += result.Lsn <= _startLsn ? result.Count : 0;
        _lsn = Math.Max(_lsn, result.Lsn);
        _points.Clear();
        _ids.Clear();
        _batchBytes = 0;
    }

    private ImportFailedException Failed(EngineErrorKind kind, long line, string reason, Exception? inner = null) =>
        new(kind, line, _applied, _batches,
            $"Line {line}: {reason} The import stopped there: the {_applied} points of the {_batches} batches before it are applied, " +
            "nothing from that line's batch on. Fix the file and send it again with the same import_id: applied batches are not written twice.",
            inner);

    // Gzip is told by its magic bytes (1f 8b), so a client need not say which it sends.
    private static async Task<Stream> DecompressedAsync(Stream body, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        var head = await reader.ReadAtLeastAsync(2, cancellationToken);
        var gzip = head.Buffer.Length >= 2 && head.Buffer.FirstSpan.Length >= 2
            ? head.Buffer.FirstSpan[0] == 0x1f && head.Buffer.FirstSpan[1] == 0x8b
            : head.Buffer.Length >= 2 && head.Buffer.Slice(0, 2).ToArray() is [0x1f, 0x8b];
        reader.AdvanceTo(head.Buffer.Start);
        var stream = reader.AsStream();
        return gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }
}
