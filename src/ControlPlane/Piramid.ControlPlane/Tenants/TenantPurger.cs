namespace Piramid.ControlPlane.Tenants;

/// <summary>Purges deleted tenants once their retention period has passed (checked every minute).</summary>
public sealed partial class TenantPurger(IServiceScopeFactory scopes, TimeProvider time, ILogger<TenantPurger> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var purged = await scope.ServiceProvider.GetRequiredService<TenantService>().PurgeDueAsync(stoppingToken);
                if (purged > 0)
                {
                    Purged(logger, purged);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next round retries; a purge is idempotent.
                PurgeFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} deleted tenant(s) past their retention period")]
    private static partial void Purged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging deleted tenants failed; retrying next round")]
    private static partial void PurgeFailed(ILogger logger, Exception exception);
}
