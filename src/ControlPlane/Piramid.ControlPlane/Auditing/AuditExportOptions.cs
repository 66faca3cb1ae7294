namespace Piramid.ControlPlane.Auditing;

/// <summary>Settings of the audit export and its anchors (section <c>AuditExport</c>).</summary>
public sealed class AuditExportOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "AuditExport";

    /// <summary>How often every running engine's audit head is read, checked against the last anchor and signed.</summary>
    public TimeSpan AnchorInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Checks <see cref="AuditExportOptions"/> at start, naming the configuration key.</summary>
internal sealed class AuditExportOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<AuditExportOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, AuditExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AnchorInterval < TimeSpan.FromMilliseconds(100) || options.AnchorInterval > TimeSpan.FromDays(1)
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail($"'{AuditExportOptions.Section}:AnchorInterval' must lie between 00:00:00.100 and 1.00:00:00.")
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
