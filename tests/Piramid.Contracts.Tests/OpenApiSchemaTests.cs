using System.Reflection;
using System.Text.Json;
using Piramid.TestKit;

namespace Piramid.Contracts.Tests;

/// <summary>Every schema of docs/openapi.json names exactly the JSON fields of the contract type it documents.</summary>
public sealed class OpenApiSchemaTests
{
    public static TheoryData<string> Schemas()
    {
        var data = new TheoryData<string>();
        foreach (var name in OpenApiDocument.Document["components"]!["schemas"]!.AsObject().Select(s => s.Key).Where(n => n != "Problem"))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Schema_HasExactlyTheContractsFields(string schema)
    {
        var type = typeof(Limits).Assembly.GetTypes().SingleOrDefault(t => t.Name == schema && t.IsPublic)
            ?? throw new Xunit.Sdk.XunitException($"docs/openapi.json documents '{schema}', which is no contract type");
        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .Order(StringComparer.Ordinal);
        var documented = OpenApiDocument.Document["components"]!["schemas"]![schema]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(fields, documented);
    }
}
