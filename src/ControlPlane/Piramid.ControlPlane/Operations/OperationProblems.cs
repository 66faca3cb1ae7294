using System.Text.Json.Nodes;
using Piramid.Contracts.Json;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Operations;

/// <summary>The problem+json object stored as a failed operation's <c>error</c>: the same shape every API answers with.</summary>
public static class OperationProblems
{
    /// <summary>The problem of <paramref name="kind"/> with <paramref name="detail"/> and optional extension members.</summary>
    public static string ToJson(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var problem = new JsonObject
        {
            ["type"] = kind.Type,
            ["title"] = kind.Title,
            ["status"] = kind.Status,
            ["detail"] = detail,
        };
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem[name] = System.Text.Json.JsonSerializer.SerializeToNode(value, WireJson.Options);
        }

        return problem.ToJsonString();
    }

    /// <summary>The problem a <see cref="ProblemException"/> names.</summary>
    public static string ToJson(ProblemException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return ToJson(exception.Kind, exception.Message, exception.Extensions);
    }
}
