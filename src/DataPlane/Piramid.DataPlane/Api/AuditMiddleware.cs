using Piramid.Contracts;
using Piramid.Contracts.Identity;
using Piramid.DataPlane.Security;
using Piramid.Engine;

namespace Piramid.DataPlane.Api;

/// <summary>
/// One audit entry per mutating call (its outcome included, failures too) and per refused call (401/403) of any
/// kind: time, principal, operation (the endpoint's name), collection, outcome and request id, and for a write its
/// LSN and point count (<see cref="AuditedWrite"/>).
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, VectorEngine engine)
{
    /// <summary>Runs the request, then records it when it was a mutation.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var requestId = context.Request.Headers[HeaderNames.RequestId].ToString();
        if (string.IsNullOrEmpty(requestId) || requestId.Length > 128)
        {
            requestId = context.TraceIdentifier;
        }

        context.Response.Headers[HeaderNames.RequestId] = requestId;
        var mutating = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && context.Request.Path.StartsWithSegments("/v1");
        try
        {
            await next(context);
        }
        finally
        {
            // Mutations always; any other call of the data API only when refused (401/403), so that every refusal
            // is in the trail with the request id its answer carried.
            var endpoint = context.GetEndpoint();
            var operation = mutating && endpoint?.Metadata.GetMetadata<MutationAttribute>() is { } mutation ? mutation.Operation
                : context.Response.StatusCode is 401 or 403 && context.Request.Path.StartsWithSegments("/v1")
                    ? endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "request"
                    : null;
            if (operation is not null)
            {
                var identity = context.Items[InternalAuthMiddleware.ItemKey] as InternalIdentity;
                var outcome = context.Response.StatusCode < 400 ? "ok" : $"error:{context.Response.StatusCode}";
                var collection = context.Request.RouteValues.TryGetValue("name", out var n) ? n as string : null;
                var write = AuditedWrite.Of(context);
                engine.Audit.Append(identity?.Principal ?? "unknown", operation, collection, outcome, requestId, write?.Lsn, write?.Points);
            }
        }
    }
}
