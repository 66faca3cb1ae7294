using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Piramid.ControlPlane.Data;

namespace Piramid.ControlPlane.Auditing;

/// <summary>What one sweep removed.</summary>
/// <param name="IdempotencyRecords">Expired idempotency replies.</param>
/// <param name="AuditEvents">Audit events past their retention.</param>
/// <param name="AuthFailuresAggregated">Auth failure rows folded into a count.</param>
/// <param name="Tokens">OpenIddict tokens.</param>
/// <param name="Authorizations">OpenIddict authorizations.</param>
public sealed record RetentionResult(int IdempotencyRecords, int AuditEvents, int AuthFailuresAggregated, long Tokens, long Authorizations);

/// <summary>
/// One pass over the tables that only grow: expired idempotency replies, audit events past their retention (the
/// tenant's plan's, or <see cref="RetentionOptions.AuditRetention"/> for events of no tenant),
/// auth failures beyond the per-tenant cap, and OpenIddict's dead tokens and authorizations (OpenIddict's own
/// <c>PruneAsync</c>, without Quartz). Each step is idempotent, so a failed sweep is simply run again.
/// </summary>
public sealed partial class RetentionSweep(
    ControlPlaneDbContext db,
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    IOptions<RetentionOptions> options,
    TimeProvider time)
{
    /// <summary>Runs every step once.</summary>
    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var idempotency = await db.IdempotencyRecords.Where(r => r.CreatedAt < now - settings.IdempotencyTtl).ExecuteDeleteAsync(cancellationToken);
        var audit = await DeleteExpiredAuditEventsAsync(now, settings, cancellationToken);
        var aggregated = await AggregateAuthFailuresAsync(now, now - settings.AuditRetention, settings, cancellationToken);
        var prunedTokens = await tokens.PruneAsync(now - settings.TokenRetention, cancellationToken);
        var prunedAuthorizations = await authorizations.PruneAsync(now - settings.TokenRetention, cancellationToken);
        return new RetentionResult(idempotency, audit, aggregated, prunedTokens, prunedAuthorizations);
    }
}
