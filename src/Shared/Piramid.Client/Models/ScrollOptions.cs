namespace Piramid.Client.Models;

/// <summary>What a scroll returns and how many points per page.</summary>
public sealed class ScrollOptions
{
    /// <summary>Only points whose metadata match.</summary>
    public Filter? Filter { get; init; }

    /// <summary>Points per page, 1 to 10,000 (server default 100).</summary>
    public int? PageSize { get; init; }

    /// <summary>Return vectors (server default false).</summary>
    public bool? IncludeVector { get; init; }

    /// <summary>Return metadata (server default true).</summary>
    public bool? IncludeMetadata { get; init; }
}
