using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Billing;

/// <summary>Registers metering, pricing and (when configured) Stripe.</summary>
public static partial class BillingExtensions
{
    /// <summary>Adds the billing services and their background work.</summary>
    public static WebApplicationBuilder AddBilling(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();
        builder.Services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<EngineStorageClient>();
        builder.Services.AddSingleton<StorageSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageSampler>());
        builder.Services.AddScoped<BillingService>();
        builder.Services.AddScoped<BillingAccounts>();
        builder.Services.AddSingleton<StripeGateway>();
        builder.Services.AddSingleton<MeterEventSender>();
        builder.Services.AddSingleton<WebhookRefusals>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookRefusals>());
        builder.Services.AddHostedService<BillingStartup>();
        return builder;
    }

    /// <summary>Says at start whether Stripe is on, and runs the meter events only when it is.</summary>
    private sealed partial class BillingStartup(IOptions<BillingOptions> options, IServiceProvider services, ILogger<BillingStartup> logger) : IHostedService
    {
        private MeterEventSender? _sender;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.StripeEnabled)
            {
                LogWithoutStripe(logger);
                return;
            }

            LogWithStripe(logger, options.Value.Stripe.ApiBase ?? "https://api.stripe.com");
            _sender = services.GetRequiredService<MeterEventSender>();
            await _sender.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => _sender?.StopAsync(cancellationToken) ?? Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Billing without Stripe: metering and estimates only (set Billing:Stripe:ApiKey and Billing:Stripe:WebhookSecret to bill)")]
        private static partial void LogWithoutStripe(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "Billing with Stripe at {ApiBase}: usage is sent as meter events")]
        private static partial void LogWithStripe(ILogger logger, string apiBase);
    }
}
