namespace Piramid.ControlPlane.Operations;

/// <summary>The kinds of operation; each has one <see cref="IOperationHandler"/>.</summary>
public static class OperationKinds
{
    /// <summary>A backup of the tenant.</summary>
    public const string Backup = "backup";

    /// <summary>A restore from a backup or to a point in time.</summary>
    public const string Restore = "restore";

    /// <summary>A collection's portable export.</summary>
    public const string Export = "export";

    /// <summary>An import into a collection.</summary>
    public const string Import = "import";
}
