using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Billing;

/// <summary>Refuses billing settings that would bill wrongly, at start.</summary>
public sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.StorageSampleInterval <= TimeSpan.Zero || options.MeterInterval <= TimeSpan.Zero)
        {
            errors.Add("'Billing:StorageSampleInterval' and 'Billing:MeterInterval' must be positive.");
        }

        if (options.MeterDedupWindow <= TimeSpan.Zero || options.MeterDedupWindow > TimeSpan.FromHours(24))
        {
            errors.Add("'Billing:MeterDedupWindow' must be positive and at most 24 hours (Stripe's guaranteed deduplication window).");
        }

        if (options.MaxSampleGap < options.StorageSampleInterval)
        {
            errors.Add("'Billing:MaxSampleGap' must be at least 'Billing:StorageSampleInterval'.");
        }

        foreach (var (plan, price) in options.Plans)
        {
            var p = $"'Billing:Plans:{plan}:";
            if (price.Currency is not { Length: 3 } || !price.Currency.All(char.IsAsciiLetterLower))
            {
                errors.Add(p + "Currency' must be a lower-case ISO code such as 'usd'.");
            }

            if (price.MonthlyPrice < 0 || price.IncludedReadUnits < 0 || price.IncludedWriteUnits < 0 || price.IncludedGbMonths < 0
                || price.PricePerMillionReadUnits < 0 || price.PricePerMillionWriteUnits < 0 || price.PricePerGbMonth < 0)
            {
                errors.Add(p + "*' prices and included amounts must not be negative.");
            }

            if (price.PaymentGrace < TimeSpan.Zero)
            {
                errors.Add(p + "PaymentGrace' must not be negative.");
            }
        }

        if (options.StripeEnabled && string.IsNullOrEmpty(options.Stripe.WebhookSecret))
        {
            errors.Add("'Billing:Stripe:WebhookSecret' is required with 'Billing:Stripe:ApiKey' (webhooks are verified with it).");
        }

        foreach (var (key, value) in new[] { ("ApiBase", options.Stripe.ApiBase), ("MeterEventsBase", options.Stripe.MeterEventsBase) })
        {
            if (value is not null && !Uri.TryCreate(value, UriKind.Absolute, out _))
            {
                errors.Add($"'Billing:Stripe:{key}' must be an absolute URL.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
