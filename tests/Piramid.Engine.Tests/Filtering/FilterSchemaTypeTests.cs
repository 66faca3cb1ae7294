using System.Text.Json;
using Piramid.Engine.Filtering;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Tests.Filtering;

/// <summary>
/// Compiling against a schema: every operand of every operator on a typed field must have the field's JSON type
/// (null aside), and the error names the field and the expected type; untyped fields accept any scalar.
/// </summary>
public class FilterSchemaTypeTests
{
    private static readonly MetadataSchema Schema = MetadataSchema.Parse(
        JsonDocument.Parse("""{"year":"integer","score":"float","genre":"keyword","title":"text","seen":"boolean","author.name":"keyword"}""").RootElement)!;

    private static readonly (string Field, string Type, string Fits)[] Fields =
    [
        ("year", "integer", "number"), ("score", "float", "number"), ("genre", "keyword", "string"),
        ("title", "text", "string"), ("seen", "boolean", "boolean"), ("author.name", "keyword", "string"),
    ];

    private static readonly (string Json, string Kind)[] Operands =
    [
        ("1965", "number"), ("2.5", "number"), ("\"1965\"", "string"), ("\"a\"", "string"), ("true", "boolean"), ("false", "boolean"),
    ];

    private static readonly string[] Operators = ["$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "shorthand"];

    [Fact]
    public void EveryOperatorOnEveryTypedField_AcceptsExactlyItsType()
    {
        foreach (var (field, type, fits) in Fields)
        {
            foreach (var op in Operators)
            {
                foreach (var (operand, kind) in Operands)
                {
                    var isRange = op is "$gt" or "$gte" or "$lt" or "$lte";
                    if (isRange && kind == "boolean")
                    {
                        continue; // a boolean is no range operand on any field, typed or not
                    }

                    var filter = Filter(field, op, operand);
                    var shouldFit = kind == fits && !(isRange && type == "boolean");
                    if (shouldFit)
                    {
                        Compile(filter);
                    }
                    else
                    {
                        var error = Assert.Throws<FilterException>(() => Compile(filter));
                        Assert.Contains($"field '{field}' is {type} in the schema", error.Message, StringComparison.Ordinal);
                    }

                    // Without the schema, the same filter compiles: untyped comparisons keep today's behaviour.
                    using var document = JsonDocument.Parse(filter);
                    CompiledFilter.Compile(document.RootElement);
                }
            }
        }
    }

    [Theory]
    [InlineData("""{"year":null}""")]
    [InlineData("""{"year":{"$in":[null,1]}}""")]
    [InlineData("""{"seen":{"$exists":false}}""")]
    [InlineData("""{"note":{"$gt":"a"}}""")]
    [InlineData("""{"author":{"$exists":true}}""")]
    public void NullExistsAndUntypedFields_AreAccepted(string filter) => Compile(filter);

    [Fact]
    public void Error_NamesThePathFieldAndExpectedType()
    {
        var error = Assert.Throws<FilterException>(() => Compile("""{"$and":[{"genre":"x"},{"year":{"$gt":"a"}}]}"""));
        Assert.Equal("filter.$and[1].year.$gt: field 'year' is integer in the schema; expected a number, got a string", error.Message);
    }

    private static string Filter(string field, string op, string operand) => op switch
    {
        "shorthand" => $$"""{"{{field}}":{{operand}}}""",
        "$in" or "$nin" => $$$"""{"{{{field}}}":{"{{{op}}}":[{{{operand}}}]}}""",
        _ => $$$"""{"{{{field}}}":{"{{{op}}}":{{{operand}}}}}""",
    };

    private static CompiledFilter Compile(string filter)
    {
        using var document = JsonDocument.Parse(filter);
        return CompiledFilter.Compile(document.RootElement, Schema);
    }
}
