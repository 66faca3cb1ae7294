using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Auditing;

/// <summary>
/// Runs <see cref="RetentionSweep"/> every <see cref="RetentionOptions.Interval"/>, the first one an interval after start:
/// a restart does not add a round, and a test host's own round never races the sweep the test runs itself.
/// </summary>
public sealed partial class RetentionService(
    IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<RetentionSweep>().RunAsync(stoppingToken);
                Swept(logger, result.IdempotencyRecords, result.AuditEvents, result.AuthFailuresAggregated, result.Tokens, result.Authorizations);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Every step is idempotent: the next round does what this one could not.
                SweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug,
        Message = "Retention sweep removed {Idempotency} idempotency replies, {Audit} audit events, folded {Failures} auth failures, pruned {Tokens} tokens and {Authorizations} authorizations")]
    private static partial void Swept(ILogger logger, int idempotency, int audit, int failures, long tokens, long authorizations);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Retention sweep failed; retrying next round")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
