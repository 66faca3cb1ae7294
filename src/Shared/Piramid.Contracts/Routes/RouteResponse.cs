namespace Piramid.Contracts.Routes;

/// <summary>A success answer of a public route.</summary>
/// <param name="Status">The status (2xx).</param>
/// <param name="Type">The Contracts type of the body, or null for an empty body.</param>
/// <param name="MediaType">The body's media type, or null for an empty body.</param>
public sealed record RouteResponse(int Status, Type? Type, string? MediaType);
