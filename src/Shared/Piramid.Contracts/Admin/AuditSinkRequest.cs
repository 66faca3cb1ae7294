using System.ComponentModel.DataAnnotations;

namespace Piramid.Contracts.Admin;

/// <summary>
/// Body of <c>PUT /v1/tenants/{id}/audit/sink</c> (and <c>/v1/audit/sink</c>): where the tenant's audit trail is
/// delivered continuously. <c>s3</c> takes <c>endpoint</c>, <c>bucket</c>, <c>access_key_id</c> and
/// <c>secret_access_key</c> (optional <c>region</c>, <c>prefix</c>); <c>syslog</c> takes <c>host</c> and <c>port</c>.
/// </summary>
/// <example>{"kind": "s3", "endpoint": "https://s3.eu-west-1.amazonaws.com", "bucket": "acme-audit", "region": "eu-west-1", "prefix": "piramid/", "access_key_id": "AKIAEXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}</example>
public sealed class AuditSinkRequest
{
    /// <summary><c>s3</c> (hourly gzip NDJSON objects) or <c>syslog</c> (RFC 5424 over TCP).</summary>
    [AllowedValues(AuditSinkKinds.S3, AuditSinkKinds.Syslog)]
    public string? Kind { get; set; }

    /// <summary>s3: the service URL (http or https), path-style addressing.</summary>
    public string? Endpoint { get; set; }

    /// <summary>s3: the bucket (it must exist).</summary>
    public string? Bucket { get; set; }

    /// <summary>s3: the signing region (default <c>us-east-1</c>).</summary>
    public string? Region { get; set; }

    /// <summary>s3: prefix of every key (optional, e.g. <c>piramid/</c>).</summary>
    public string? Prefix { get; set; }

    /// <summary>s3: the access key id.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>s3: the secret key; write-only, never returned. Omit it to keep the stored one.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>syslog: host name or address of the receiver.</summary>
    public string? Host { get; set; }

    /// <summary>syslog: TCP port of the receiver.</summary>
    public int? Port { get; set; }
}
