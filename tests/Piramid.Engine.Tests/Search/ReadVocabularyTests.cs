using System.Reflection;
using Piramid.Engine.Collections;
using Piramid.Engine.Search;

namespace Piramid.Engine.Tests.Search;

/// <summary>The engine library's reads speak in engine terms: no wire DTO of Piramid.Contracts in or out.</summary>
public sealed class ReadVocabularyTests
{
    private static readonly string[] CollectionReads =
        [nameof(Collection.Search), nameof(Collection.Get), nameof(Collection.GetMany), nameof(Collection.Scroll), nameof(Collection.CountMatching)];

    [Fact]
    public void ReadMethods_TakeAndReturnNoContractsTypes()
    {
        var methods = typeof(Collection).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => CollectionReads.Contains(m.Name))
            .Concat(typeof(SearchMethods).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.DeclaringType == typeof(SearchMethods)))
            .ToList();
        Assert.Equal(CollectionReads.Length + 3, methods.Count);

        var wire = methods
            .SelectMany(m => m.GetParameters().Select(p => (m.Name, p.ParameterType)).Append((m.Name, m.ReturnType)))
            .SelectMany(t => Flatten(t.Item2).Select(type => (Method: t.Name, Type: type)))
            .Where(t => t.Type.Namespace?.StartsWith("Piramid.Contracts", StringComparison.Ordinal) == true)
            .Select(t => $"{t.Method}: {t.Type.FullName}")
            .ToList();
        Assert.True(wire.Count == 0, string.Join("; ", wire));
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        foreach (var argument in type.GetGenericArguments().SelectMany(Flatten))
        {
            yield return argument;
        }
    }
}
