using Piramid.Contracts.Admin;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.ControlPlane;

namespace Piramid.Gateway.Routing;

/// <summary>
/// Keeps the routing table and key cache in step with the control plane: loads the table, then
/// long-polls the change feed, evicting keys and tenants and reloading routes as changes arrive. While
/// the control plane is unreachable the last table and cache keep serving, and polling retries with backoff.
/// </summary>
public sealed partial class ChangeFeedWatcher(
    ControlPlaneClient controlPlane, RoutingTable table, KeyCache keys, MemberCache members, TimeProvider time, ILogger<ChangeFeedWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly TaskCompletionSource _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long _position;

    /// <summary>Completes once the first routing table is loaded (readiness).</summary>
    public Task FirstLoad => _firstLoad.Task;

    /// <summary>Id of the last change applied (evictions done, reloads pending at most).</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        var needReload = true;
        long position = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (needReload)
                {
                    table.Replace(await controlPlane.GetRoutesAsync(stoppingToken));
                    _firstLoad.TrySetResult();
                    needReload = false;
                    position = Math.Max(position, table.Version);
                }

                var changes = await controlPlane.GetChangesAsync(position, LongPoll, stoppingToken);
                foreach (var change in changes.Changes)
                {
                    switch (change.Kind)
                    {
                        case ChangeKinds.Key:
                            keys.EvictKey(change.Subject, change.Id);
                            break;
                        case ChangeKinds.Tenant:
                            keys.EvictTenant(change.Subject, change.Id);
                            members.EvictTenant(change.Subject, change.Id);
                            needReload = true;
                            break;
                        case ChangeKinds.Plan:
                            keys.EvictPlan(change.Subject, change.Id);
                            members.EvictPlan(change.Subject, change.Id);
                            break;
                        case ChangeKinds.Member:
                            // The control plane judges its own routes on every request; the data routes' cache forgets it.
                            members.EvictMember(change.Subject, change.Id);
                            break;
                        default:
                            needReload = true;
                            break;
                    }
                }

                position = Math.Max(position, changes.LastId);
                Interlocked.Exchange(ref _position, position);
                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                PollFailed(logger, e.Message);
                await Task.Delay(backoff, time, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control plane unreachable ({Reason}); serving the last routing table and key cache")]
    private static partial void PollFailed(ILogger logger, string reason);
}
