using System.Text.Json;

namespace Piramid.Engine.Collections;

/// <summary>One live point in memory: its id, its vector's slot in the slab, and its parsed metadata.</summary>
internal sealed class PointEntry(string id, int slot, JsonElement metadata)
{
    public string Id { get; } = id;

    /// <summary>The vector's slot; a graph-indexed point moves to a new slot when its vector changes.</summary>
    public int Slot { get; set; } = slot;

    /// <summary>The metadata object, or <c>default</c> (Undefined) when the point has none. Immutable, so readers may share it.</summary>
    public JsonElement Metadata { get; set; } = metadata;

    public bool HasMetadata => Metadata.ValueKind == JsonValueKind.Object;
}
