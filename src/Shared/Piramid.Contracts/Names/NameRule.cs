using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Piramid.Contracts.Names;

/// <summary>One kind of name and its rule: the pattern, and the sentence that explains it in a 400.</summary>
public sealed class NameRule
{
    private readonly Regex _regex;

    internal NameRule(string kind, string pattern, string description, Regex regex)
    {
        Kind = kind;
        Pattern = pattern;
        Description = description;
        _regex = regex;
    }

    /// <summary>What is named, in words (<c>collection name</c>).</summary>
    public string Kind { get; }

    /// <summary>The regular expression, as published in docs/openapi.json.</summary>
    public string Pattern { get; }

    /// <summary>The rule in words, for error messages (<c>1-63 lower-case letters, ...</c>).</summary>
    public string Description { get; }

    /// <summary>Whether the whole of <paramref name="name"/> follows the rule; null never does.</summary>
    // A .NET '$' also matches before a final '\n', so "docs\n" would pass IsMatch: the match must span the name.
    public bool IsValid([NotNullWhen(true)] string? name) => name is not null && _regex.Match(name) is { Success: true } m && m.Length == name.Length;
}
