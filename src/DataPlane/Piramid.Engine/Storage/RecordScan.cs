namespace Piramid.Engine.Storage;

/// <summary>How a <see cref="RecordScanner"/> scan ended.</summary>
internal enum ScanOutcome
{
    /// <summary>Every byte belonged to a record that framed and, where the scan decrypted it, decrypted.</summary>
    Clean,

    /// <summary>A torn tail, accepted by <see cref="TornTail.Stop"/>: the records before it are the content.</summary>
    TornTail,

    /// <summary>The file header or a record does not frame (and the policy does not accept it as a torn tail).</summary>
    Damaged,

    /// <summary>A record frames but does not decrypt: the wrong data key, or bytes altered along with their checksums.</summary>
    WrongKey,

    /// <summary>The visitor asked to stop.</summary>
    Stopped,
}

/// <summary>
/// A record handed to a scan's visitor, decrypted unless the scan was told the visitor does not need it (then
/// <see cref="Decrypted"/> is false and <see cref="Payload"/> empty); <see cref="Index"/> counts from 0 within the file.
/// </summary>
internal readonly record struct ScannedRecord(RecordFrame Frame, byte[] Payload, int Index, bool Decrypted = true);

/// <summary>
/// The result of a scan: how many records the visitor accepted, where the intact prefix ends (the offset a torn
/// tail is cut at; 0 when even the file header is torn), how it ended, and for damage a message naming the file
/// and the byte offset.
/// </summary>
internal readonly record struct RecordScan(int Records, int IntactEnd, ScanOutcome Outcome, string? Problem)
{
    /// <summary>Throws <see cref="StorageCorruptedException"/> for <see cref="ScanOutcome.Damaged"/> and <see cref="ScanOutcome.WrongKey"/>.</summary>
    public RecordScan ThrowIfDamaged() => Outcome is ScanOutcome.Damaged or ScanOutcome.WrongKey
        ? throw new StorageCorruptedException(Problem!)
        : this;
}
