namespace Piramid.Engine.Metadata;

/// <summary>Metadata that breaks a rule; the message names the path.</summary>
public sealed class MetadataException(string message) : Exception(message);
