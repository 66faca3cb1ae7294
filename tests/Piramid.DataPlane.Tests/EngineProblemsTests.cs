using Piramid.Contracts.Problems;
using Piramid.DataPlane.Api;
using Piramid.Engine;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// The host's mapping of engine error kinds to problems: every kind the engine has answers with a catalogue
/// entry, and each with the status and type clients saw before the engine stopped carrying HTTP.
/// </summary>
public sealed class EngineProblemsTests
{
    public static TheoryData<EngineErrorKind, int, string> Expected => new()
    {
        { EngineErrorKind.InvalidArgument, 400, ProblemTypes.InvalidRequest },
        { EngineErrorKind.InvalidFilter, 400, ProblemTypes.InvalidFilter },
        { EngineErrorKind.NotFound, 404, ProblemTypes.NotFound },
        { EngineErrorKind.Conflict, 409, ProblemTypes.Conflict },
        { EngineErrorKind.QuotaExceeded, 403, ProblemTypes.QuotaExceeded },
        { EngineErrorKind.Unavailable, 503, ProblemTypes.CollectionUnavailable },
        { EngineErrorKind.InsufficientStorage, 507, ProblemTypes.InsufficientStorage },
        { EngineErrorKind.InsufficientMemory, 507, ProblemTypes.InsufficientMemory },
        { EngineErrorKind.IdempotencyKeyReused, 422, ProblemTypes.IdempotencyKeyReused },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void KindOf_KeepsTheStatusAndTypeOfEachKind(EngineErrorKind kind, int status, string type)
    {
        var problem = EngineProblems.KindOf(kind);
        Assert.Equal(status, problem.Status);
        Assert.Equal(type, problem.Type);
    }

    [Fact]
    public void EveryEngineErrorKind_MapsToACatalogueEntry()
    {
        var listed = Expected.Select(row => (EngineErrorKind)row[0]).ToHashSet();
        foreach (var kind in Enum.GetValues<EngineErrorKind>())
        {
            Assert.Contains(kind, listed);
            Assert.Contains(EngineProblems.KindOf(kind), ProblemCatalog.All);
        }
    }
}
