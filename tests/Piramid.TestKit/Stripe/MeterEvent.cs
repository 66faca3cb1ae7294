namespace Piramid.TestKit.Stripe;

/// <summary>A meter event the fake accepted.</summary>
public sealed record MeterEvent(string EventName, string Identifier, string CustomerId, long Value, long Timestamp);
