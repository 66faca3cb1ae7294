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
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

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

    /// <summary>The caller's identity as recorded: the token's subject (client id), else <c>system</c>.</summary>
    public static string Actor(HttpContext? context) =>
        context?.User.FindFirst("sub")?.Value
        ?? context?.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value
        ?? "system";
}
