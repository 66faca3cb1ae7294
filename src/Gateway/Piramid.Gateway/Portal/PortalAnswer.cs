namespace Piramid.Gateway.Portal;

/// <summary>Request feature set when the portal answers, so that the security headers give it the portal's policy.</summary>
public sealed class PortalAnswer
{
    /// <summary>The one instance (the feature carries no state).</summary>
    public static readonly PortalAnswer Instance = new();

    private PortalAnswer()
    {
    }
}
