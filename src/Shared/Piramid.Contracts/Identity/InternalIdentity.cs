namespace Piramid.Contracts.Identity;

/// <summary>
/// Who is calling an engine, as vouched for by the gateway. Signed into <see cref="HeaderNames.Identity"/>
/// by <see cref="InternalIdentitySigner"/>; see docs/design/internal-auth.md.
/// </summary>
/// <param name="Principal">The authenticated principal (API key id or JWT subject).</param>
/// <param name="TenantId">The tenant the engine serves; an engine refuses any other.</param>
/// <param name="Role">One of <see cref="Roles"/>.</param>
/// <param name="Method">HTTP method the signature is valid for.</param>
/// <param name="Path">Request path (without query) the signature is valid for.</param>
/// <param name="IssuedAtUnixMs">When the gateway signed it; stale signatures are refused.</param>
/// <param name="Nonce">Random, unique per request; a replayed nonce is refused.</param>
/// <param name="Collections">Collection scope of the key; empty means every collection.</param>
public sealed record InternalIdentity(
    string Principal,
    string TenantId,
    string Role,
    string Method,
    string Path,
    long IssuedAtUnixMs,
    string Nonce,
    IReadOnlyList<string> Collections);
