using Piramid.Contracts.Problems;

namespace Piramid.ControlPlane.Tenants;

/// <summary>A caller's mistake or a state conflict, answered as problem+json.</summary>
public sealed class ControlPlaneException(int status, string problemType, string title, string detail) : Exception(detail)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Problem type URI.</summary>
    public string ProblemType { get; } = problemType;

    /// <summary>Title.</summary>
    public string Title { get; } = title;

    /// <summary>400.</summary>
    public static ControlPlaneException Invalid(string detail) => new(400, ProblemTypes.InvalidRequest, "Invalid request", detail);

    /// <summary>404.</summary>
    public static ControlPlaneException NotFound(string detail) => new(404, ProblemTypes.NotFound, "Not found", detail);

    /// <summary>409.</summary>
    public static ControlPlaneException Conflict(string detail) => new(409, ProblemTypes.Conflict, "Conflict", detail);

    /// <summary>503: the tenant's engine could not be started.</summary>
    public static ControlPlaneException EngineUnavailable(string detail) => new(503, ProblemTypes.EngineUnavailable, "Engine unavailable", detail);
}
