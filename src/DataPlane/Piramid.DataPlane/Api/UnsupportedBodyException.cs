namespace Piramid.DataPlane.Api;

/// <summary>The body is not JSON (415).</summary>
internal sealed class UnsupportedBodyException(string message) : Exception(message);
