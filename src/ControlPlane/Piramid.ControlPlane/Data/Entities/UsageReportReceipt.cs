namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// A usage report already applied, by the id its gateway gave it. A gateway that got no answer sends the same
/// report again; the receipt makes the second delivery a no-op, so no unit is billed twice.
/// </summary>
public sealed class UsageReportReceipt
{
    /// <summary>The gateway's report id.</summary>
    public required string Id { get; set; }

    /// <summary>When it was applied; receipts older than <c>UsageStore.ReceiptRetention</c> are deleted.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
