using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Usage;

/// <summary>What an audit read asks for: a time range [from, to), a source, an actor and an action (each exact, all optional).</summary>
public sealed record AuditFilter(DateTimeOffset? From, DateTimeOffset? To, string? Source, string? Actor, string? Action)
{
    /// <summary>True when control-plane events are asked for.</summary>
    public bool WantsControl => Source is null or AuditSources.Control;

    /// <summary>True when the engine's entries are asked for.</summary>
    public bool WantsData => Source is null or AuditSources.Data;

    /// <summary>A 400 naming the parameter when the filter cannot be answered.</summary>
    public void Validate()
    {
        if (From > To)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'from' must not be after 'to'.");
        }

        if (Source is not (null or AuditSources.Control or AuditSources.Data))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'source' must be '{AuditSources.Control}' or '{AuditSources.Data}'.");
        }

        if (Actor is { Length: 0 or > 200 } || Action is { Length: 0 or > 200 })
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'{(Actor is { Length: 0 or > 200 } ? "actor" : "action")}' must be 1 to 200 characters.");
        }
    }

    /// <summary>True when an engine entry passes the filter.</summary>
    public bool Matches(AuditEventInfo e) =>
        (From is null || e.Time >= From) && (To is null || e.Time < To)
        && (Actor is null || e.Actor == Actor) && (Action is null || e.Action == Action);
}
