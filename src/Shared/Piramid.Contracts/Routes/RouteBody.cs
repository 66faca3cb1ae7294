namespace Piramid.Contracts.Routes;

/// <summary>The request body of a public route.</summary>
/// <param name="Type">The Contracts type the body is read as.</param>
/// <param name="Required">False when an empty body means the defaults (scroll, count).</param>
/// <param name="MediaType">Its media type.</param>
public sealed record RouteBody(Type Type, bool Required, string MediaType);
