using System.Text.Json.Nodes;

namespace Piramid.Client.Models;

/// <summary>A collection as the platform describes it.</summary>
public sealed class CollectionInfo
{
    /// <summary>Collection name.</summary>
    public required string Name { get; init; }

    /// <summary>Vector length.</summary>
    public int Dimension { get; init; }

    /// <summary>Distance metric.</summary>
    public required string Metric { get; init; }

    /// <summary>Index settings with the defaults filled in.</summary>
    public IndexSettings? Index { get; init; }

    /// <summary>Quantization.</summary>
    public string? Quantization { get; init; }

    /// <summary>Metadata schema, when one was given.</summary>
    public JsonNode? Schema { get; init; }

    /// <summary><c>ready</c>, or <c>failed</c> when its storage is damaged (see <see cref="Error"/>).</summary>
    public string? Status { get; init; }

    /// <summary>Why a failed collection is closed.</summary>
    public string? Error { get; init; }

    /// <summary>Number of points.</summary>
    public long Count { get; init; }

    /// <summary>Bytes of its files on disk.</summary>
    public long BytesOnDisk { get; init; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
