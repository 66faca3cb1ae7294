namespace Piramid.Contracts.Admin;

/// <summary>What the gateway sends to <c>POST /internal/v1/usage</c> every few seconds: units only (refused credentials go to <see cref="AuthFailureReport"/>).</summary>
public sealed class UsageReport
{
    /// <summary>
    /// The gateway's id for this report (1 to 64 letters, digits, '-' or '_'). A report sent again with the same
    /// id, because its answer was lost, is applied once. Without an id every delivery is applied.
    /// </summary>
    public string? Id { get; set; }

    /// <summary>Units consumed since the last report.</summary>
    public IReadOnlyList<UsageDelta> Usage { get; set; } = [];
}
