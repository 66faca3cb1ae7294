using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.Contracts.Routes;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Admin;

/// <summary>
/// <c>Idempotency-Key</c> on mutating admin calls: the first reply is stored per caller and key and
/// replayed for a retry of the same request; the same key with another request is a 422. A created
/// key's secret is not stored, so a replayed key creation returns the key without its secret. Replies are
/// kept for <see cref="RetentionOptions.IdempotencyTtl"/>: an older one is forgotten here at once (and deleted
/// by the retention sweep), so the key may be used again.
/// </summary>
internal static class IdempotencyFilter
{
    public const string Header = "Idempotency-Key";

    public static async ValueTask<object?> Handle(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return await next(context);
        }

        if (!IdempotentRoutes.IsValidKey(key))
        {
            return ProblemResults.For(ProblemCatalog.InvalidRequest,
                $"The header '{Header}' must be 1 to {IdempotentRoutes.MaxKeyLength} printable ASCII characters (0x20 to 0x7E).");
        }

        var db = http.RequestServices.GetRequiredService<ControlPlaneDbContext>();
        var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var ttl = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetentionOptions>>().Value.IdempotencyTtl;
        var actor = AuditTrail.Actor(http);
        var hash = RequestHash(context, json);
        var stored = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Actor == actor && r.Key == key, http.RequestAborted);
        if (stored is not null && stored.CreatedAt <= time.GetUtcNow() - ttl)
        {
            await db.IdempotencyRecords.Where(r => r.Actor == actor && r.Key == key && r.CreatedAt == stored.CreatedAt).ExecuteDeleteAsync(http.RequestAborted);
            stored = null;
        }

        if (stored is not null)
        {
            if (!CryptographicOperations.FixedTimeEquals(stored.RequestHash, hash))
            {
                return ProblemResults.For(ProblemCatalog.IdempotencyKeyReused,
                    $"This '{Header}' was used for a different request; use a new key for a new request.");
            }

            http.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Content(stored.ResponseBody ?? string.Empty, "application/json", Encoding.UTF8, stored.StatusCode);
        }

        var result = await next(context);
        if (result is IStatusCodeHttpResult { StatusCode: < 300 } status)
        {
            var value = (result as IValueHttpResult)?.Value;
            string? body = null;
            if (value is not null)
            {
                var node = JsonSerializer.SerializeToNode(value, value.GetType(), json);
                if (value is ApiKeyInfo && node is System.Text.Json.Nodes.JsonObject reply)
                {
                    reply.Remove("key"); // The secret is shown once and never stored, not even here.
                }

                body = node?.ToJsonString(json);
            }

            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Actor = actor,
                Key = key,
                RequestHash = hash,
                StatusCode = status.StatusCode ?? 200,
                ResponseBody = body,
                CreatedAt = time.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(http.RequestAborted);
            }
            catch (DbUpdateException)
            {
                // A concurrent request with the same key stored its reply first; both did the same thing.
            }
        }

        return result;
    }

    private static byte[] RequestHash(EndpointFilterInvocationContext context, JsonSerializerOptions json)
    {
        var text = new StringBuilder().Append(context.HttpContext.Request.Method).Append(' ').Append(context.HttpContext.Request.Path);
        foreach (var argument in context.Arguments)
        {
            if (argument is not null && argument.GetType().Namespace?.StartsWith("Piramid.Contracts", StringComparison.Ordinal) == true)
            {
                text.Append('\n').Append(JsonSerializer.Serialize(argument, argument.GetType(), json));
            }
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
