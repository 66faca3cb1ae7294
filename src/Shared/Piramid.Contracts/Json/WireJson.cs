using System.Text.Json;
using System.Text.Json.Serialization;

namespace Piramid.Contracts.Json;

/// <summary>
/// The JSON spelling every process speaks on the wire: snake_case names over the web defaults. Servers
/// refuse unknown members (a typo such as <c>top_kk</c> is a 400, not an ignored setting); clients
/// reading another process's answers tolerate new members, so a newer server does not break them.
/// </summary>
public static class WireJson
{
    /// <summary>The naming policy as a constant, for <see cref="JsonSourceGenerationOptionsAttribute"/> (the AOT engine).</summary>
    public const JsonKnownNamingPolicy KnownNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower;

    /// <summary>How a server treats members it does not know; also a constant for source generation.</summary>
    public const JsonUnmappedMemberHandling ServerUnmappedMembers = JsonUnmappedMemberHandling.Disallow;

    /// <summary>The naming policy of <see cref="KnownNamingPolicy"/> as an object.</summary>
    public static JsonNamingPolicy NamingPolicy => JsonNamingPolicy.SnakeCaseLower;

    /// <summary>Read-only options for clients and for records written as JSON (audit rows): web defaults, snake_case.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Sets a server's options (ASP.NET's HTTP JSON options) to the wire spelling, refusing unknown members.</summary>
    public static void ConfigureServer(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = NamingPolicy;
        options.UnmappedMemberHandling = ServerUnmappedMembers;
    }

    // Not made read-only here: that needs the reflection resolver, which this AOT-compatible library cannot
    // name. The serializer locks the instance on its first use, and every caller only reads it.
    private static JsonSerializerOptions CreateOptions() =>
        new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = NamingPolicy };
}
