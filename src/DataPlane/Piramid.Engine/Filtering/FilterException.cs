namespace Piramid.Engine.Filtering;

/// <summary>A malformed filter; the message names the bad part by its JSON path.</summary>
public sealed class FilterException(string message) : Exception(message);
