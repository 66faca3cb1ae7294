namespace Piramid.Contracts.Admin;

/// <summary>A valid key's identity and limits.</summary>
public sealed class KeyIntrospectionResponse
{
    /// <summary>Key id.</summary>
    public required string KeyId { get; set; }

    /// <summary>Tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>Role.</summary>
    public required string Role { get; set; }

    /// <summary>Collection scope.</summary>
    public required IReadOnlyList<string> Collections { get; set; }

    /// <summary>When the answer stops being valid (expiry or end of rotation grace).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The tenant's plan.</summary>
    public required PlanInfo Plan { get; set; }

    /// <summary>The tenant is suspended: the key is genuine but every data request is refused (403 tenant-suspended).</summary>
    public bool TenantSuspended { get; set; }

    /// <summary>
    /// The tenant's payment is past due: from this time its writes answer 402 <c>payment-required</c> (reads go on).
    /// The gateway hears of a change through the change feed (kind <c>tenant</c>).
    /// </summary>
    public DateTimeOffset? WritesRefusedFrom { get; set; }

    /// <summary>
    /// The id of the newest change-feed event this answer already reflects (the feed's ids are in commit order). The
    /// gateway keeps the answer when the feed later delivers an event at or below it: such an event (the key's or its
    /// tenant's creation, typically) changed nothing the answer does not know, and dropping the answer would leave
    /// the key refused for a whole control-plane outage. 0 when unknown: every later event evicts it.
    /// </summary>
    public long ChangesThrough { get; set; }
}
