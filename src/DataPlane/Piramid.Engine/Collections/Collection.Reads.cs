using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Piramid.Contracts;
using Piramid.Engine.Queries;
using Piramid.Engine.Search;

namespace Piramid.Engine.Collections;

/// <summary>Reads: all under the read lock, so they see whole batches and never wait on the disk.</summary>
public sealed partial class Collection
{
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    private const int DefaultTopK = 10;
    private const int DefaultScrollLimit = 100;

    /// <summary>Fetches one point; 404 when it does not exist.</summary>
    public StoredPoint Get(string id, bool includeVector, bool includeMetadata)
    {
        ThrowIfUnavailable();
        PointValidator.CheckId(id, "id");
        _lock.EnterReadLock();
        try
        {
            ThrowIfUnavailable();
            return _store.TryGet(id, out var entry)
                ? ToOutput(entry, includeVector, includeMetadata)
                : throw EngineException.NotFound($"Point '{id}' does not exist in collection '{Config.Name}'.");
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Fetches many points in request order; missing ids are left out.</summary>
    public IReadOnlyList<StoredPoint> GetMany(IReadOnlyList<string>? pointIds, bool includeVector, bool includeMetadata)
    {
        ThrowIfUnavailable();
        var ids = PointValidator.CheckIds(pointIds, "ids");
        if (includeVector)
        {
            CheckVectorsPerAnswer(ids.Count, "ids");
        }

        _lock.EnterReadLock();
        try
        {
            ThrowIfUnavailable();
            var points = new List<StoredPoint>(ids.Count);
            foreach (var id in ids)
            {
                if (_store.TryGet(id, out var entry))
                {
                    points.Add(ToOutput(entry, includeVector, includeMetadata));
                }
            }

            return points;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Refuses an answer that would carry more than <see cref="Limits.MaxVectorValuesPerAnswer"/> vector values
    /// (<paramref name="vectors"/> × dimension), naming the field that asks for them.
    /// </summary>
    internal void CheckVectorsPerAnswer(long vectors, string field)
    {
        var values = vectors * Config.Dimension;
        if (values > Limits.MaxVectorValuesPerAnswer)
        {
            throw EngineException.Invalid(
                $"'{field}' asks for {vectors} vectors of dimension {Config.Dimension} ({values} values); one answer carries at most " +
                $"{Limits.MaxVectorValuesPerAnswer} vector values. Ask for at most {Limits.MaxVectorValuesPerAnswer / Config.Dimension} or leave out include_vector.");
        }
    }

    /// <summary>The vectors of the points among <paramref name="ids"/> that still exist.</summary>
    internal Dictionary<string, float[]> VectorsOf(IEnumerable<string> ids)
    {
        ThrowIfUnavailable();
        _lock.EnterReadLock();
        try
        {
            ThrowIfUnavailable();
            var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var id in ids)
            {
                if (_store.TryGet(id, out var entry))
                {
                    vectors[id] = _store.VectorOf(entry);
                }
            }

            return vectors;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Counts points, optionally matching a filter.</summary>
    public long CountMatching(JsonElement filter)
    {
        ThrowIfUnavailable();
        var compiled = CompileFilter(filter);
        _lock.EnterReadLock();
        try
        {
            ThrowIfUnavailable();
            if (compiled.MatchesAll)
            {
                return _store.Count;
            }

            long count = 0;
            foreach (var entry in _store.Entries)
            {
                count += compiled.Matches(entry.Metadata) ? 1 : 0;
            }

            return count;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Pages through points in ordinal id order; the cursor is opaque to clients.</summary>
    public Page<StoredPoint> Scroll(ScrollQuery request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfUnavailable();
        var limit = request.Limit ?? DefaultScrollLimit;
        if (limit < 1 || limit > Limits.MaxScrollLimit)
        {
            throw EngineException.Invalid($"'limit' must be between 1 and {Limits.MaxScrollLimit}; got {limit}.");
        }

        var includeVector = request.IncludeVector ?? false;
        if (includeVector)
        {
            CheckVectorsPerAnswer(limit, "limit");
        }

        var after = DecodeCursor(request.Cursor);
        var filter = CompileFilter(request.Filter);
        var includeMetadata = request.IncludeMetadata ?? true;
        _lock.EnterReadLock();
        try
        {
            ThrowIfUnavailable();
            var points = new List<StoredPoint>(Math.Min(limit, _store.Count));
            string? next = null;
            foreach (var id in _store.IdsAfter(after))
            {
                var entry = _store.Entry(id);
                if (!filter.MatchesAll && !filter.Matches(entry.Metadata))
                {
                    continue;
                }

                if (points.Count == limit)
                {
                    next = EncodeCursor(points[^1].Id);
                    break;
                }

                points.Add(ToOutput(entry, includeVector, includeMetadata));
            }

            return new Page<StoredPoint>(points, next);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private StoredPoint ToOutput(PointEntry entry, bool includeVector, bool includeMetadata) =>
        new(entry.Id, includeVector ? _store.VectorOf(entry) : null, includeMetadata ? MetadataOrNull(entry) : null);

    private static JsonElement MetadataOrNull(PointEntry entry) => entry.HasMetadata ? entry.Metadata : JsonNull;

    private static string EncodeCursor(string id) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(id));

    private static string? DecodeCursor(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var id = new UTF8Encoding(false, true).GetString(Base64Url.DecodeFromChars(cursor));
            return id.Length > 0 ? id : throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw EngineException.Invalid("'cursor' is not a cursor this API returned; pass 'next_cursor' from the previous page unchanged.");
        }
    }
}
