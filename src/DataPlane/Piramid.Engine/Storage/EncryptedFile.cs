using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>
/// Small files written whole (a collection manifest): the record-file header and one encrypted record,
/// replaced atomically (temp, fsync, rename, fsync directory).
/// </summary>
public static class EncryptedFile
{
    /// <summary>Encrypts <paramref name="content"/> under a fresh salt and replaces <paramref name="path"/> durably.</summary>
    public static void WriteAtomic(string path, DataKey key, FileKind kind, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(key);
        if (content.Length > RecordFormat.MaxPayloadLength)
        {
            throw new ArgumentException($"Content is larger than {RecordFormat.MaxPayloadLength} bytes.", nameof(content));
        }

        var bytes = new byte[RecordFormat.FileHeaderLength + content.Length + RecordFormat.RecordOverhead];
        var salt = RecordFormat.NewSalt();
        RecordFormat.WriteFileHeader(bytes, kind, salt);
        using (var cipher = key.CreateFileCipher(kind, salt))
        {
            RecordFormat.Encrypt(cipher, 0, 0, 0, content, bytes.AsSpan(RecordFormat.FileHeaderLength));
        }

        FileSync.WriteAtomic(path, bytes);
    }

    /// <summary>Decrypts a file written by <see cref="WriteAtomic"/>; <see cref="StorageCorruptedException"/> on damage or a wrong key.</summary>
    public static byte[] Read(string path, DataKey key)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(key);
        var data = File.ReadAllBytes(path);
        if (data.Length < RecordFormat.FileHeaderLength)
        {
            throw new StorageCorruptedException($"{path}: file header is incomplete at offset {data.Length}.");
        }

        var kind = (FileKind)data[5];
        if (kind is not (FileKind.Manifest or FileKind.Checkpoint or FileKind.Audit or FileKind.Wal))
        {
            throw new StorageCorruptedException($"{path}: unknown file kind {data[5]} at offset 5.");
        }

        byte[]? content = null;
        foreach (var record in RecordScanner.ReadAll(path, data, key, kind))
        {
            if (content is not null)
            {
                throw new StorageCorruptedException($"{path}: unexpected second record at offset {record.Frame.Offset}.");
            }

            content = record.Payload;
        }

        return content ?? throw new StorageCorruptedException($"{path}: no content record at offset {RecordFormat.FileHeaderLength}.");
    }
}
