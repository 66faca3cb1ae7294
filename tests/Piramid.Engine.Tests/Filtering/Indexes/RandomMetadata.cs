using System.Globalization;
using System.Text;

namespace Piramid.Engine.Tests.Filtering.Indexes;

/// <summary>
/// Seeded random metadata and filters over a small pool of field names, so that fields collide across points with
/// different types (a string here, a number or an array there, an object elsewhere) and filters hit them often.
/// </summary>
internal sealed class RandomMetadata(Random random)
{
    // "n" is an object in some points and a scalar in others; "late*" only appear once a test turns them on.
    private static readonly string[] Fields = ["a", "b", "c", "d", "n", "n.x", "n.y", "tags", "late1", "late2"];
    private static readonly string[] Strings = ["red", "green", "blue", "", "x\"y", "é"];

    /// <summary>Whether the "late" fields may appear (fields added after the collection filled).</summary>
    public bool Late { get; set; }

    /// <summary>A metadata object as JSON text, or null for a point without metadata.</summary>
    public string? Metadata()
    {
        if (random.Next(20) == 0)
        {
            return null;
        }

        var text = new StringBuilder("{");
        var fields = Late ? Fields.Length : Fields.Length - 2;
        var nested = new List<string>();
        foreach (var field in Fields.AsSpan(0, fields))
        {
            if (random.Next(3) == 0 || field == "n")
            {
                continue;
            }

            if (field.StartsWith("n.", StringComparison.Ordinal))
            {
                nested.Add($"\"{field[2..]}\":{Value()}");
                continue;
            }

            text.Append(text.Length > 1 ? "," : string.Empty).Append('"').Append(field).Append("\":").Append(Value());
        }

        // "n" holds the nested fields as an object, or (sometimes) is a scalar itself, so "n.x" is then missing.
        if (nested.Count > 0 || random.Next(4) == 0)
        {
            var n = random.Next(4) == 0 ? Scalar() : "{" + string.Join(',', nested) + "}";
            text.Append(text.Length > 1 ? "," : string.Empty).Append("\"n\":").Append(n);
        }

        return text.Append('}').ToString();
    }

    /// <summary>A random filter over the same fields, with operands of every type.</summary>
    public string Filter(int depth = 0)
    {
        var roll = random.Next(depth >= 2 ? 8 : 12);
        return roll switch
        {
            8 => $"{{\"$and\":[{Filter(depth + 1)},{Filter(depth + 1)}]}}",
            9 => $"{{\"$or\":[{Filter(depth + 1)},{Filter(depth + 1)}]}}",
            10 => $"{{\"$not\":{Filter(depth + 1)}}}",
            11 => $"{{\"{Field()}\":{Condition()},\"{Field()}\":{Condition()}}}",
            _ => $"{{\"{Field()}\":{Condition()}}}",
        };
    }

    private string Field() => Fields[random.Next(Fields.Length)];

    private string Condition() => random.Next(10) switch
    {
        0 => Scalar(),
        1 => $"{{\"$eq\":{Scalar()}}}",
        2 => $"{{\"$in\":[{Scalar()},{Scalar()}]}}",
        3 => $"{{\"$ne\":{Scalar()}}}",
        4 => $"{{\"$exists\":{(random.Next(2) == 0 ? "true" : "false")}}}",
        5 => $"{{\"$gt\":{Number()}}}",
        6 => $"{{\"$gte\":{Number()},\"$lt\":{Number()}}}",
        7 => $"{{\"$lte\":{(random.Next(3) == 0 ? String() : Number())}}}",
        8 => $"{{\"$nin\":[{Scalar()}]}}",
        _ => $"{{\"$in\":[{String()},{String()}]}}",
    };

    private string Value() => random.Next(8) switch
    {
        0 => "null",
        1 => $"[{Scalar()},{Scalar()}]",
        2 => "[]",
        3 => $"{{\"z\":{Scalar()}}}",
        _ => Scalar(),
    };

    private string Scalar() => random.Next(4) switch
    {
        0 => String(),
        1 => Number(),
        2 => random.Next(2) == 0 ? "true" : "false",
        _ => random.Next(2) == 0 ? String() : Number(),
    };

    private string String() => System.Text.Json.JsonSerializer.Serialize(Strings[random.Next(Strings.Length)]);

    // Few distinct values, so equalities and ranges match often; integers and fractions of the same magnitude.
    private string Number() => random.Next(3) == 0
        ? (random.Next(-5, 10) / 2.0).ToString("R", CultureInfo.InvariantCulture)
        : random.Next(-3, 8).ToString(CultureInfo.InvariantCulture);
}
