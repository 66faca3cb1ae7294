namespace Piramid.Engine.Commands;

/// <summary>What a write did, once it is durable under the durability policy.</summary>
/// <param name="Count">Points written or deleted.</param>
/// <param name="Lsn">The collection log position of the write; later writes have larger ones.</param>
public sealed record WriteResult(long Count, long Lsn);
