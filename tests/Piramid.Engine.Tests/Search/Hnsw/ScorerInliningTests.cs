using System.Reflection;
using System.Runtime.CompilerServices;
using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;

namespace Piramid.Engine.Tests.Search.Hnsw;

/// <summary>
/// The scorers run once per distance inside the graph walk, so every method and property getter they declare
/// is marked for inlining: Native AOT compiled the unmarked metric tests of <c>FloatScorer</c> as calls, three
/// a distance, which cost 11 % of a query's instructions at 256-d (docs/design/hnsw.md, "Fourth session").
/// </summary>
public sealed class ScorerInliningTests
{
    public static TheoryData<Type> Scorers() =>
    [
        typeof(FloatScorer<CosineDistance>),
        typeof(FloatScorer<DotDistance>),
        typeof(FloatScorer<EuclideanDistance>),
        typeof(Int8Scorer),
    ];

    [Theory]
    [MemberData(nameof(Scorers))]
    public void EveryMethodAndGetterOfAScorer_IsMarkedForInlining(Type scorer)
    {
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
            | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var notInlined = scorer.GetMethods(Declared)
            .Where(method => (method.MethodImplementationFlags & MethodImplAttributes.AggressiveInlining) == 0)
            .Select(method => method.Name)
            .ToList();

        Assert.Empty(notInlined);
    }
}
