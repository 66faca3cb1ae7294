namespace Piramid.Engine.Filtering.Indexes;

/// <summary>An entry of a <see cref="SortedEntrySet{T}"/>: totally ordered, and naming the point slot it belongs to.</summary>
/// <typeparam name="T">The entry type itself, so comparisons are constrained calls the JIT inlines (no boxing).</typeparam>
internal interface ISlotEntry<T> : IComparable<T>
    where T : struct, ISlotEntry<T>
{
    /// <summary>The point slot this entry indexes.</summary>
    int Slot { get; }
}
