namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// A long-running piece of work of a tenant (backup, restore, export, import), claimed and run by one control-plane
/// instance's <c>OperationRunner</c>; its state and progress are what <c>GET .../operations/{op_id}</c> shows.
/// </summary>
public sealed class Operation
{
    /// <summary><c>op_</c> + 32 hex.</summary>
    public required string Id { get; set; }

    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary><c>backup</c>, <c>restore</c>, <c>export</c> or <c>import</c> (Operations/OperationKinds.cs).</summary>
    public required string Kind { get; set; }

    /// <summary><c>pending</c>, <c>running</c>, <c>succeeded</c> or <c>failed</c> (Operations/OperationStates.cs).</summary>
    public required string State { get; set; }

    /// <summary>The handler's input (JSON), as the request gave it.</summary>
    public string Request { get; set; } = "{}";

    /// <summary>0-100.</summary>
    public double Percent { get; set; }

    /// <summary>Bytes moved so far.</summary>
    public long Bytes { get; set; }

    /// <summary>Points handled so far.</summary>
    public long Points { get; set; }

    /// <summary>The problem (JSON) of a failed operation.</summary>
    public string? Error { get; set; }

    /// <summary>The handler's result (JSON) of a succeeded operation.</summary>
    public string? Result { get; set; }

    /// <summary>When it was asked for.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a runner first claimed it.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it succeeded or failed.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Last sign of life of the owner while running.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }

    /// <summary>The control-plane instance running it (a random id per process start).</summary>
    public string? Owner { get; set; }

    /// <summary>How many times a runner has claimed it (a resumed operation counts again).</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// A restore's staging area on the engine (its restore id) while it may still exist: set when the run opens it,
    /// cleared once the engine has discarded it, so a run that died leaves a record of what to discard.
    /// </summary>
    public string? EngineRestoreId { get; set; }
}
