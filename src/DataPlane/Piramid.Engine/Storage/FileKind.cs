namespace Piramid.Engine.Storage;

/// <summary>What an encrypted record file holds; stored in its header and mixed into its subkey.</summary>
public enum FileKind : byte
{
    /// <summary>A write-ahead log segment.</summary>
    Wal = 1,

    /// <summary>A checkpoint.</summary>
    Checkpoint = 2,

    /// <summary>An audit log segment.</summary>
    Audit = 3,

    /// <summary>A small file written whole, such as a collection manifest.</summary>
    Manifest = 4,
}
