namespace Piramid.TestKit.Stripe;

/// <summary>A graduated metered price: the first <paramref name="FreeUpTo"/> units free, then <paramref name="UnitAmountDecimal"/> minor units each.</summary>
public sealed record MeterPrice(long FreeUpTo, decimal UnitAmountDecimal);
