namespace Piramid.Contracts.Admin;

/// <summary>The gateway's report of when each API key last authenticated a request, since its previous report.</summary>
public sealed class KeyUseReport
{
    /// <summary>Key id to the last time it was used (to the minute).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> KeyLastUsed { get; set; } = new Dictionary<string, DateTimeOffset>();
}
