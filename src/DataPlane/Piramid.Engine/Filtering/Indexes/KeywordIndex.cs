using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Piramid.Engine.Filtering.Indexes;

/// <summary>
/// Keyword field: each distinct string (or string element of an array) maps to the sorted set of slots holding
/// it. Keys are the unescaped UTF-8 bytes the filter compares with, probed by span, so neither indexing an
/// existing value nor estimating allocates. Per point: 4 bytes per distinct value it holds, plus per distinct
/// value about 150 bytes (key array, dictionary entry, set object and its array).
/// </summary>
internal sealed class KeywordIndex : FieldIndex
{
    private readonly Dictionary<byte[], SortedEntrySet<SlotEntry>> _sets = new(Utf8KeyComparer.Instance);
    private readonly Dictionary<byte[], SortedEntrySet<SlotEntry>>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public KeywordIndex(FieldPath path)
        : base(path)
    {
        _lookup = _sets.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public override void Add(int slot, JsonElement value) => Update(slot, value, add: true);

    public override void Remove(int slot, JsonElement value) => Update(slot, value, add: false);

    // $eq and $in on strings only: any other operand could match a wrongly typed value that is not indexed.
    protected override long? EstimateCondition(FieldCondition condition)
    {
        if (condition is not MembershipCondition { Negated: false } membership)
        {
            return null;
        }

        long sum = 0;
        foreach (var operand in membership.Operands)
        {
            if (operand.Kind != JsonValueKind.String)
            {
                return null;
            }

            sum += _lookup.TryGetValue(operand.Utf8, out var set) ? set.Count : 0;
        }

        return sum;
    }

    protected override void CollectCondition(FieldCondition condition, List<int> slots)
    {
        foreach (var operand in ((MembershipCondition)condition).Operands)
        {
            if (_lookup.TryGetValue(operand.Utf8, out var set))
            {
                set.CollectAll(slots);
            }
        }
    }

    // Arrays are looked into one level, like the filter; their non-string elements never equal a string.
    private void Update(int slot, JsonElement value, bool add)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            UpdateString(slot, value, add);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.String)
                {
                    UpdateString(slot, element, add);
                }
            }
        }
    }

    private void UpdateString(int slot, JsonElement value, bool add)
    {
        // The raw token includes its quotes; without a backslash its inside is exactly the string's UTF-8 bytes.
        var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            // Escapes are rare in keywords (quotes, backslashes, control characters); decoding allocates.
            raw = Encoding.UTF8.GetBytes(value.GetString()!);
        }

        if (add)
        {
            if (!_lookup.TryGetValue(raw, out var set))
            {
                set = new SortedEntrySet<SlotEntry>();
                _lookup[raw] = set;
            }

            set.Add(new SlotEntry(slot));
        }
        else if (_lookup.TryGetValue(raw, out var set) && set.Remove(new SlotEntry(slot)) && set.Count == 0)
        {
            // Values come and go (ids, dates); dropping empty sets keeps memory proportional to live values.
            _lookup.Remove(raw);
        }
    }
}
