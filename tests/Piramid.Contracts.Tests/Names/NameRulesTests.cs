using System.Text;
using System.Text.Json;
using Piramid.Contracts.Names;

namespace Piramid.Contracts.Tests.Names;

/// <summary>Property tests of each name rule against a plain reading of its description.</summary>
public sealed class NameRulesTests
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789_-";
    private const string Noise = "ABZaz09_-. /\\:\n\r\t\0é€😀%$^";

    public static TheoryData<string> SlugRules => ["collection", "tenant", "plan"];

    [Theory]
    [MemberData(nameof(SlugRules))]
    public void SlugRules_AcceptExactlyLowerCaseSlugsOf1To63(string kind)
    {
        var rule = Slug(kind);
        var random = new Random(kind.Length);
        for (var i = 0; i < 20_000; i++)
        {
            var name = RandomName(random, random.Next(2) == 0 ? Lower : Lower + Noise, random.Next(0, 70));
            var expected = name.Length is >= 1 and <= 63
                && char.IsAsciiLetterLower(name[0]) | char.IsAsciiDigit(name[0])
                && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');
            Assert.True(expected == rule.IsValid(name), $"{rule.Kind} '{Escape(name)}': expected {(expected ? "valid" : "invalid")}");
        }
    }

    [Fact]
    public void TenantId_AcceptsExactlyAsciiLettersDigitsUnderscoreDash_1To64()
    {
        var random = new Random(64);
        for (var i = 0; i < 20_000; i++)
        {
            var name = RandomName(random, Lower + Noise, random.Next(0, 70));
            var expected = name.Length is >= 1 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
            Assert.True(expected == NameRules.TenantId.IsValid(name), $"tenant id '{Escape(name)}'");
        }
    }

    [Fact]
    public void KeyName_Accepts1To128CharactersNotAllWhiteSpace()
    {
        var random = new Random(128);
        for (var i = 0; i < 20_000; i++)
        {
            var name = RandomName(random, random.Next(3) == 0 ? " \t\n\u00a0" : Lower + Noise, random.Next(0, 140));
            var expected = name.Length is >= 1 and <= 128 && !string.IsNullOrWhiteSpace(name);
            Assert.True(expected == NameRules.KeyName.IsValid(name), $"key name '{Escape(name)}'");
        }
    }

    [Theory]
    [InlineData("docs\n")]
    [InlineData("docs\r\n")]
    [InlineData("\ndocs")]
    [InlineData(null)]
    public void SlugRules_RefuseLineBreaksAndNull(string? name)
    {
        Assert.False(NameRules.CollectionName.IsValid(name));
        Assert.False(NameRules.TenantName.IsValid(name));
        Assert.False(NameRules.PlanId.IsValid(name));
        Assert.False(NameRules.TenantId.IsValid(name));
    }

    [Fact]
    public void OpenApi_PublishesTheCollectionNamePattern()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestKit.RepositoryPaths.Root, "docs", "openapi.json")));
        var patterns = new List<string>();
        Collect(document.RootElement, patterns);
        // The generated document takes each path parameter's pattern from its name rule and the point writes'
        // Idempotency-Key pattern from IdempotentRoutes: nothing else, nothing retyped.
        string[] rules = [NameRules.CollectionName.Pattern, NameRules.TenantId.Pattern, NameRules.PlanId.Pattern, Piramid.Contracts.Routes.IdempotentRoutes.KeyPattern];
        Assert.Contains(NameRules.CollectionName.Pattern, patterns);
        Assert.All(patterns, p => Assert.Contains(p, rules));
    }

    private static void Collect(JsonElement element, List<string> patterns)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals("pattern") && property.Value.ValueKind == JsonValueKind.String)
                {
                    patterns.Add(property.Value.GetString()!);
                }

                Collect(property.Value, patterns);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, patterns);
            }
        }
    }

    private static NameRule Slug(string kind) => kind switch
    {
        "collection" => NameRules.CollectionName,
        "tenant" => NameRules.TenantName,
        _ => NameRules.PlanId,
    };

    private static string RandomName(Random random, string alphabet, int length)
    {
        var runes = alphabet.EnumerateRunes().ToArray();
        var builder = new StringBuilder();
        while (builder.Length < length)
        {
            builder.Append(runes[random.Next(runes.Length)].ToString());
        }

        return builder.ToString();
    }

    private static string Escape(string name) => JsonSerializer.Serialize(name);
}
