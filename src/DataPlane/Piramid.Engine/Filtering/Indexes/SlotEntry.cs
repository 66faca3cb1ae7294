namespace Piramid.Engine.Filtering.Indexes;

/// <summary>A bare slot, ordered by slot: the entry of keyword and boolean sets (4 bytes).</summary>
internal readonly struct SlotEntry(int slot) : ISlotEntry<SlotEntry>
{
    /// <summary>The smallest entry, as an inclusive lower bound.</summary>
    public static SlotEntry Min => new(int.MinValue);

    /// <summary>The largest entry, as an inclusive upper bound.</summary>
    public static SlotEntry Max => new(int.MaxValue);

    public int Slot { get; } = slot;

    public int CompareTo(SlotEntry other) => Slot.CompareTo(other.Slot);
}
