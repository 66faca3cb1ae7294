using System.Text.Json;

namespace Piramid.Engine.Filtering.Indexes;

/// <summary>Boolean field: the sorted slot sets holding true and holding false (4 bytes per point).</summary>
internal sealed class BooleanIndex(FieldPath path) : FieldIndex(path)
{
    private readonly SortedEntrySet<SlotEntry> _true = new();
    private readonly SortedEntrySet<SlotEntry> _false = new();

    public override void Add(int slot, JsonElement value) => Update(slot, value, add: true);

    public override void Remove(int slot, JsonElement value) => Update(slot, value, add: false);

    protected override long? EstimateCondition(FieldCondition condition)
    {
        if (condition is not MembershipCondition { Negated: false } membership)
        {
            return null;
        }

        long sum = 0;
        foreach (var operand in membership.Operands)
        {
            if (SetFor(operand.Kind) is not { } set)
            {
                return null;
            }

            sum += set.Count;
        }

        return sum;
    }

    protected override void CollectCondition(FieldCondition condition, List<int> slots)
    {
        foreach (var operand in ((MembershipCondition)condition).Operands)
        {
            SetFor(operand.Kind)!.CollectAll(slots);
        }
    }

    private SortedEntrySet<SlotEntry>? SetFor(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True => _true,
        JsonValueKind.False => _false,
        _ => null,
    };

    // An array [true, false] matches both {"f": true} and {"f": false}, so each element is indexed.
    private void Update(int slot, JsonElement value, bool add)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                UpdateScalar(slot, element.ValueKind, add);
            }
        }
        else
        {
            UpdateScalar(slot, value.ValueKind, add);
        }
    }

    private void UpdateScalar(int slot, JsonValueKind kind, bool add)
    {
        if (SetFor(kind) is { } set)
        {
            _ = add ? set.Add(new SlotEntry(slot)) : set.Remove(new SlotEntry(slot));
        }
    }
}
