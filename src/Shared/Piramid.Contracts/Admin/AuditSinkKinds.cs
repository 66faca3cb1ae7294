namespace Piramid.Contracts.Admin;

/// <summary>The kinds of audit sink.</summary>
public static class AuditSinkKinds
{
    /// <summary>S3-compatible storage: hourly gzip NDJSON objects.</summary>
    public const string S3 = "s3";

    /// <summary>Syslog over TCP: RFC 5424 messages with octet-counting framing (RFC 6587).</summary>
    public const string Syslog = "syslog";
}
