namespace Piramid.Gateway.Authentication;

/// <summary>Claim types the gateway's principals carry.</summary>
public static class GatewayClaims
{
    /// <summary>Key id or JWT subject.</summary>
    public const string Principal = "sub";

    /// <summary>Tenant id.</summary>
    public const string Tenant = "tenant";

    /// <summary>Role.</summary>
    public const string Role = "role";

    /// <summary>One allowed collection (repeated); none means all.</summary>
    public const string Collection = "collection";
}
