namespace Piramid.Backups.Stores;

/// <summary>
/// Where backups, archived WAL segments and exports are kept (docs/design/backups.md, "Stores"). Every object
/// carries the SHA-256 its writer declared: a put whose bytes do not match it is refused, and a read verifies
/// it while streaming, so damage is reported naming the object instead of being restored.
/// </summary>
public interface IBackupStore
{
    /// <summary>Where it stores, for logs: <c>filesystem:/path</c> or <c>s3://bucket/prefix</c>.</summary>
    string Describe { get; }

    /// <summary>
    /// Stores <paramref name="length"/> bytes of <paramref name="content"/> under <paramref name="key"/>. The object
    /// appears whole or not at all; a put interrupted midway may be repeated with the same bytes (the S3 store then
    /// resumes from the parts already uploaded). Throws <see cref="BackupObjectCorruptedException"/> when the bytes
    /// read do not have <paramref name="length"/> or <paramref name="sha256Hex"/>, and
    /// <see cref="InvalidBackupKeyException"/> for a key outside <see cref="BackupKey"/>'s rules.
    /// </summary>
    Task PutAsync(string key, Stream content, long length, string sha256Hex, IProgress<long>? progress, CancellationToken ct);

    /// <summary>
    /// Opens <paramref name="key"/> for reading. The stream hashes what it returns and throws
    /// <see cref="BackupObjectCorruptedException"/> naming the key before the last byte is returned when the content
    /// does not match <paramref name="sha256Hex"/> (tampered or truncated). A missing object throws
    /// <see cref="BackupObjectNotFoundException"/>.
    /// </summary>
    Task<Stream> OpenReadAsync(string key, string sha256Hex, CancellationToken ct);

    /// <summary>Size, stored hash and time of <paramref name="key"/>, or null when it does not exist.</summary>
    Task<BackupObjectInfo?> StatAsync(string key, CancellationToken ct);

    /// <summary>Every object whose key starts with <paramref name="prefix"/> (a plain string prefix, "" for all).</summary>
    IAsyncEnumerable<BackupObjectInfo> ListAsync(string prefix, CancellationToken ct);

    /// <summary>Deletes <paramref name="key"/> (and any unfinished upload of it); deleting a missing key is no error.</summary>
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>
    /// Deletes every object whose key starts with <paramref name="prefix"/>, with the leftovers of unfinished puts
    /// under it (the S3 store aborts its unfinished multipart uploads); returns how many objects were deleted.
    /// </summary>
    Task<int> DeletePrefixAsync(string prefix, CancellationToken ct);
}
