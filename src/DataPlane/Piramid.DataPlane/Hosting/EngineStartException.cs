namespace Piramid.DataPlane.Hosting;

/// <summary>The engine cannot start: bad configuration, a wrong key file, a locked or damaged data directory. The message says why.</summary>
public sealed class EngineStartException(string message, Exception? inner = null) : Exception(message, inner);
