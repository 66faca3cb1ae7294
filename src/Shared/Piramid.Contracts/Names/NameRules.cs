using System.Text.RegularExpressions;

namespace Piramid.Contracts.Names;

/// <summary>
/// Every kind of name the platform accepts, each with its own rule, so that tightening one (say tenant
/// names) cannot loosen or break another. The patterns are anchored and ASCII-only; names become URL
/// segments, file names and audit subjects.
/// </summary>
public static partial class NameRules
{
    /// <summary>Pattern of <see cref="CollectionName"/> (a constant for attributes and OpenAPI).</summary>
    public const string CollectionNamePattern = "^[a-z0-9][a-z0-9_-]{0,62}$";

    /// <summary>Pattern of <see cref="TenantName"/>: today the same alphabet as collections, by its own decision.</summary>
    public const string TenantNamePattern = "^[a-z0-9][a-z0-9_-]{0,62}$";

    /// <summary>Pattern of <see cref="PlanId"/>.</summary>
    public const string PlanIdPattern = "^[a-z0-9][a-z0-9_-]{0,62}$";

    /// <summary>Pattern of <see cref="TenantId"/>: tenant ids become file and directory names.</summary>
    public const string TenantIdPattern = "^[A-Za-z0-9_-]{1,64}$";

    /// <summary>Pattern of <see cref="KeyName"/>: a display name, 1-128 characters, not only white space.</summary>
    public const string KeyNamePattern = @"^(?=[\s\S]*\S)[\s\S]{1,128}$";

    /// <summary>A collection's name: a URL segment and a directory name in the engine.</summary>
    public static NameRule CollectionName { get; } = new(
        "collection name", CollectionNamePattern, "1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit", CollectionNameRegex());

    /// <summary>A tenant's display name (its id is generated).</summary>
    public static NameRule TenantName { get; } = new(
        "tenant name", TenantNamePattern, "1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit", TenantNameRegex());

    /// <summary>A plan's id, chosen by the operator (<c>PUT /v1/plans/{id}</c>).</summary>
    public static NameRule PlanId { get; } = new(
        "plan id", PlanIdPattern, "1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit", PlanIdRegex());

    /// <summary>A tenant's id as the orchestrator uses it for its files.</summary>
    public static NameRule TenantId { get; } = new(
        "tenant id", TenantIdPattern, "1-64 letters, digits, '_' or '-'", TenantIdRegex());

    /// <summary>An API key's display name.</summary>
    public static NameRule KeyName { get; } = new(
        "key name", KeyNamePattern, "1-128 characters, not only white space", KeyNameRegex());

    [GeneratedRegex(CollectionNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex CollectionNameRegex();

    [GeneratedRegex(TenantNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex TenantNameRegex();

    [GeneratedRegex(PlanIdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex PlanIdRegex();

    [GeneratedRegex(TenantIdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex TenantIdRegex();

    [GeneratedRegex(KeyNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex KeyNameRegex();
}
