using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Piramid.Contracts.Operations;

/// <summary>A long-running operation (backup, restore, export, import): where it stands, and its outcome once finished.</summary>
public sealed class OperationInfo
{
    /// <summary>Id (<c>op_</c> + 32 hex).</summary>
    public required string Id { get; set; }

    /// <summary>The tenant it works on.</summary>
    public required string TenantId { get; set; }

    /// <summary>What it does.</summary>
    [AllowedValues("backup", "restore", "export", "import")]
    public required string Kind { get; set; }

    /// <summary>Where it stands: <c>succeeded</c> and <c>failed</c> are final.</summary>
    [AllowedValues("pending", "running", "succeeded", "failed")]
    public required string State { get; set; }

    /// <summary>Progress so far (persisted at most every half second while running).</summary>
    public required OperationProgress Progress { get; set; }

    /// <summary>Why it failed: a problem+json object with <c>type</c>, <c>title</c>, <c>status</c> and <c>detail</c>.</summary>
    public JsonElement? Error { get; set; }

    /// <summary>What it produced (depends on the kind: the backup, the restored collections, ...).</summary>
    public JsonElement? Result { get; set; }

    /// <summary>When it was asked for.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it started running.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it succeeded or failed.</summary>
    public DateTimeOffset? FinishedAt { get; set; }
}
