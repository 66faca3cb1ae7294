using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Piramid.Contracts.Collections;

/// <summary>A collection as described by <c>GET /v1/collections/{name}</c>.</summary>
public sealed class CollectionInfo
{
    /// <summary>Collection name.</summary>
    public required string Name { get; set; }

    /// <summary>Vector dimension.</summary>
    public int Dimension { get; set; }

    /// <summary>Distance metric.</summary>
    [AllowedValues("cosine", "dot", "euclidean")]
    public required string Metric { get; set; }

    /// <summary>Index settings, with defaults filled in.</summary>
    public required IndexSettings Index { get; set; }

    /// <summary>Quantization.</summary>
    [AllowedValues("none", "int8")]
    public required string Quantization { get; set; }

    /// <summary>Metadata schema, when one was given.</summary>
    public JsonElement? Schema { get; set; }

    /// <summary>Whether undeclared metadata fields are indexed.</summary>
    public bool AutoIndex { get; set; }

    /// <summary><c>ready</c>, or <c>failed</c> when its storage is damaged (see <see cref="Error"/>).</summary>
    [AllowedValues("ready", "failed")]
    public required string Status { get; set; }

    /// <summary>Why a failed collection is closed.</summary>
    public string? Error { get; set; }

    /// <summary>Number of points.</summary>
    public long Count { get; set; }

    /// <summary>Bytes of its files on disk (log, checkpoints, manifest).</summary>
    public long BytesOnDisk { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
