namespace Piramid.Contracts.Admin;

/// <summary>
/// What the gateway sends to <c>POST /internal/v1/auth-failures</c>, apart from usage so that no flood of refused
/// requests can delay billing. Bounded: at most a configured number of entries, the rest only counted.
/// </summary>
public sealed class AuthFailureReport
{
    /// <summary>Refusals counted per reason, client address and key id.</summary>
    public IReadOnlyList<AuthFailureCount> Entries { get; set; } = [];

    /// <summary>Refusals that did not fit in <see cref="Entries"/> (more distinct clients than the gateway keeps).</summary>
    public long Others { get; set; }
}
