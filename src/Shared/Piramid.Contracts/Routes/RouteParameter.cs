namespace Piramid.Contracts.Routes;

/// <summary>A query parameter of a public route.</summary>
/// <param name="Name">Its name in the query string.</param>
/// <param name="Type">Its type (<c>DateTimeOffset</c>, <c>bool</c>, <c>int</c>, ...).</param>
/// <param name="Description">What it does.</param>
public sealed record RouteParameter(string Name, Type Type, string Description);
