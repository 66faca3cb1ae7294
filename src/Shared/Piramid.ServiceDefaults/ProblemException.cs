using Piramid.Contracts.Problems;

namespace Piramid.ServiceDefaults;

/// <summary>
/// A refusal or failure the caller should see as problem+json of a catalogue kind. Thrown anywhere below an
/// endpoint; <see cref="ProblemExceptionHandler"/> writes it, so no layer builds problem bodies itself.
/// </summary>
public sealed class ProblemException : Exception
{
    private static readonly Dictionary<string, object?> NoExtensions = [];

    /// <summary>A problem of <paramref name="kind"/>; <paramref name="detail"/> is shown to the caller as is.</summary>
    public ProblemException(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(detail)
    {
        ArgumentNullException.ThrowIfNull(kind);
        Kind = kind;
        Extensions = extensions ?? NoExtensions;
    }

    /// <summary>The catalogue entry: type, title and status.</summary>
    public ProblemKind Kind { get; }

    /// <summary>Extra members of the body (snake_case names), such as <c>quota</c>.</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; }
}
