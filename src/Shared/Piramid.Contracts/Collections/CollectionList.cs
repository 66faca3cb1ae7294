namespace Piramid.Contracts.Collections;

/// <summary>Body of <c>GET /v1/collections</c>.</summary>
public sealed class CollectionList
{
    /// <summary>Every collection of the tenant, by name.</summary>
    public required IReadOnlyList<CollectionInfo> Collections { get; set; }
}
