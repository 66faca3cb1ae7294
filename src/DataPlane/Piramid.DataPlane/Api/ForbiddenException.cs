namespace Piramid.DataPlane.Api;

/// <summary>A valid principal that may not do this (403).</summary>
internal sealed class ForbiddenException(string message) : Exception(message);
