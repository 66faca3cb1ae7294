namespace Piramid.Engine.Storage;

/// <summary>A replayed WAL record.</summary>
/// <param name="Lsn">Log sequence number (contiguous from 1).</param>
/// <param name="Type">Caller-defined record type.</param>
/// <param name="Payload">Decrypted payload; owned by the receiver.</param>
/// <param name="AppendedAtMs">Append time, Unix milliseconds (<see cref="WalTime"/>); 0 for a record written before append times existed.</param>
public readonly record struct WalRecord(long Lsn, byte Type, ReadOnlyMemory<byte> Payload, long AppendedAtMs = 0);
