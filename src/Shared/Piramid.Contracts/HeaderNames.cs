namespace Piramid.Contracts;

/// <summary>HTTP header names shared by the gateway, the engine and the control plane.</summary>
public static class HeaderNames
{
    /// <summary>The signed internal identity the gateway attaches for the engine. Clients never send it.</summary>
    public const string Identity = "X-Piramid-Identity";

    /// <summary>Correlates one request across processes and the audit log.</summary>
    public const string RequestId = "X-Request-Id";

    /// <summary>
    /// The path the client called, sent by the gateway when it forwards to another path (a tenant key's
    /// <c>/v1/api-keys</c> to <c>/v1/tenants/{its tenant}/api-keys</c>), so that a problem's <c>instance</c> names it.
    /// </summary>
    public const string ClientPath = "X-Piramid-Client-Path";

    /// <summary>
    /// Makes a write idempotent: a retry with the same key and the same request replays the first answer; the same key
    /// with another request is a 422 <c>idempotency-key-reused</c>. 1 to 255 printable ASCII characters.
    /// </summary>
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>Client API key header (alternative to <c>Authorization: Bearer</c>).</summary>
    public const string ApiKey = "Api-Key";

    /// <summary>
    /// The tenant API key the gateway acts for on the control plane (<c>key:&lt;id&gt;</c>), recorded as the audit
    /// actor; honoured only from the gateway's own client.
    /// </summary>
    public const string Actor = "X-Piramid-Actor";

    /// <summary>
    /// The tenant of the API key the gateway acts for on <c>/v1/tenants/{id}/...</c>; with <see cref="KeyRole"/> and
    /// <see cref="KeyScoped"/>, believed only from the gateway's own client (docs/design/tenant-access.md).
    /// </summary>
    public const string KeyTenant = "X-Piramid-Key-Tenant";

    /// <summary>The role of the API key the gateway acts for (<c>admin</c>, <c>read_write</c>, <c>read_only</c>).</summary>
    public const string KeyRole = "X-Piramid-Key-Role";

    /// <summary>Present (<c>true</c>) when the API key the gateway acts for is limited to collections.</summary>
    public const string KeyScoped = "X-Piramid-Key-Scoped";
}
