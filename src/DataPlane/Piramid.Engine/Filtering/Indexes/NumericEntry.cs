using System.Runtime.InteropServices;

namespace Piramid.Engine.Filtering.Indexes;

/// <summary>
/// A (value, slot) pair ordered by value, then slot. Packed to 12 bytes instead of 16: a numeric field costs
/// 12 bytes per indexed value, and unaligned double reads are free on x64 and arm64.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly struct NumericEntry(double value, int slot) : ISlotEntry<NumericEntry>
{
    /// <summary>The indexed number, as a double like the filter compares it.</summary>
    public double Value { get; } = value;

    public int Slot { get; } = slot;

    /// <summary>The smallest entry holding <paramref name="value"/>, as an inclusive lower bound.</summary>
    public static NumericEntry LowerBound(double value) => new(value, int.MinValue);

    /// <summary>The largest entry holding <paramref name="value"/>, as an inclusive upper bound.</summary>
    public static NumericEntry UpperBound(double value) => new(value, int.MaxValue);

    // double.CompareTo treats -0.0 and 0.0 as equal, as the filter's == does, so {"$eq": 0} finds both.
    public int CompareTo(NumericEntry other)
    {
        var byValue = Value.CompareTo(other.Value);
        return byValue != 0 ? byValue : Slot.CompareTo(other.Slot);
    }
}
