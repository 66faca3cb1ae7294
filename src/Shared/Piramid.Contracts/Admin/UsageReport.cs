namespace Piramid.Contracts.Admin;

/// <summary>What the gateway sends to <c>POST /internal/v1/usage</c> every few seconds.</summary>
public sealed class UsageReport
{
    /// <summary>
    /// The gateway's id for this report (1 to 64 letters, digits, '-' or '_'). A report sent again with the same
    /// id, because its answer was lost, is applied once. Without an id every delivery is applied.
    /// </summary>
    public string? Id { get; set; }

    /// <summary>Units consumed since the last report.</summary>
    public IReadOnlyList<UsageDelta> Usage { get; set; } = [];

    /// <summary>Credentials refused since the last report.</summary>
    public IReadOnlyList<AuthFailure> AuthFailures { get; set; } = [];

    /// <summary>Failures left out because the gateway's buffer was full (a flood), so the trail says how many.</summary>
    public long AuthFailuresDropped { get; set; }
}
