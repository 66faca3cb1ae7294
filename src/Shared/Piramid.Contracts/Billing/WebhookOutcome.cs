namespace Piramid.Contracts.Billing;

/// <summary>Answer of <c>POST /webhooks/stripe</c> to a verified event: what was done with it.</summary>
public sealed class WebhookOutcome
{
    /// <summary>`applied`, `duplicate` (its id was seen before), `stale` (older than the event that set the status) or `ignored` (a type Piramid does not use).</summary>
    /// <example>applied</example>
    public required string Result { get; set; }
}
