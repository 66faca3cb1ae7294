namespace Piramid.Engine.Storage;

/// <summary>
/// What a <see cref="RecordScanner"/> scan makes of damage after which no valid record follows in the file:
/// the bytes of an append cut short by a crash (or the zeros of a tail that was never written).
/// </summary>
internal enum TornTail
{
    /// <summary>Any damage is damage: files that are only ever written whole (manifests, checkpoints) or closed.</summary>
    Fail,

    /// <summary>
    /// A torn tail ends the scan: the intact prefix is the file's content and the caller may cut the rest
    /// (<see cref="RecordScanner.CutTornTail"/>). Damage followed by a valid record is still damage. For files
    /// still being appended to when the process stopped: WAL segments, the newest audit segment.
    /// </summary>
    Stop,
}
