using System.Text.Json;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Auditing;

/// <summary>
/// Records every control-plane change with who, what, when and the state before and after. Callers pass
/// the API shapes (never entities), so secrets and hashes cannot leak into the trail. Saved with the
/// change itself, in the same transaction.
/// </summary>
public sealed class AuditTrail(ControlPlaneDbContext db, TimeProvider time, IHttpContextAccessor http)
{
    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>Adds an event to the unit of work; the caller's SaveChanges stores it.</summary>
    public void Record<T>(string action, string targetType, string targetId, string? tenantId, T? before, T? after)
        where T : class
    {
        var context = http.HttpContext;
        db.AuditEvents.Add(new AuditEvent
        {
            Time = time.GetUtcNow(),
            Actor = Actor(context),
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            TenantId = tenantId,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
            RequestId = context?.TraceIdentifier,
        });
    }

    /// <summary>The actor of the current request, as <see cref="Actor(HttpContext?)"/> records it.</summary>
    public string CurrentActor() => Actor(http.HttpContext);

    /// <summary>Header by which the gateway names the tenant API key it acts for (honoured only from the gateway).</summary>
    public const string ActorHeader = Contracts.HeaderNames.Actor;

    /// <summary>
    /// The caller's identity as recorded: the token's subject (client id), else <c>system</c>; for the gateway
    /// acting for a tenant's key, <c>key:&lt;id&gt;</c>.
    /// </summary>
    public static string Actor(HttpContext? context)
    {
        var subject = context?.User.FindFirst("sub")?.Value
            ?? context?.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        if (subject is not null && context!.User.HasClaim("role", Identity.IdentityClaims.GatewayRole)
            && context.Request.Headers[ActorHeader].ToString() is { Length: > 0 and <= 80 } actor)
        {
            return actor;
        }

        return subject ?? "system";
    }
}
