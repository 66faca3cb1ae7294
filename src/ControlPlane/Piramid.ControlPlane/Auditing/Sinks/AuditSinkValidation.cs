using System.Text.RegularExpressions;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>Checks an <see cref="AuditSinkRequest"/>: a 400 naming the first bad field, before anything is stored.</summary>
public static partial class AuditSinkValidation
{
    /// <summary>Refuses a request that cannot describe a sink; <paramref name="hasStoredSecret"/> lets an S3 update omit the secret.</summary>
    public static void Validate(AuditSinkRequest? request, bool hasStoredSecret, bool allowPrivate)
    {
        if (request is null)
        {
            throw Bad("A body is required: {\"kind\": \"s3\" | \"syslog\", ...}.");
        }

        switch (request.Kind)
        {
            case AuditSinkKinds.S3:
                ValidateS3(request, hasStoredSecret, allowPrivate);
                break;
            case AuditSinkKinds.Syslog:
                ValidateSyslog(request, allowPrivate);
                break;
            default:
                throw Bad($"'kind' must be '{AuditSinkKinds.S3}' or '{AuditSinkKinds.Syslog}'.");
        }
    }

    private static void ValidateS3(AuditSinkRequest r, bool hasStoredSecret, bool allowPrivate)
    {
        if (r.Host is not null || r.Port is not null)
        {
            throw Bad($"'{(r.Host is not null ? "host" : "port")}' belongs to syslog sinks; an s3 sink takes endpoint, bucket, region, prefix, access_key_id and secret_access_key.");
        }

        if (r.Endpoint is null || r.Endpoint.Length > 2048 || !Uri.TryCreate(r.Endpoint, UriKind.Absolute, out var endpoint)
            || endpoint.Scheme is not ("http" or "https") || endpoint.UserInfo.Length > 0 || endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
        {
            throw Bad("'endpoint' must be an http or https URL without credentials, query or fragment, e.g. https://s3.eu-west-1.amazonaws.com.");
        }

        if (!allowPrivate && SinkAddressPolicy.IsPrivateLiteral(endpoint.Host))
        {
            throw Bad($"'endpoint' names '{endpoint.Host}', a loopback or private address, which a sink may not reach.");
        }

        if (r.Bucket is null || !BucketName().IsMatch(r.Bucket))
        {
            throw Bad("'bucket' must be 3-63 characters of lowercase letters, digits, '.' and '-', starting and ending with a letter or digit.");
        }

        if (r.Region is not null && !RegionName().IsMatch(r.Region))
        {
            throw Bad("'region' must be 1-64 characters of lowercase letters, digits and '-', e.g. eu-west-1.");
        }

        if (r.Prefix is not null && (r.Prefix.Length > 256 || r.Prefix.StartsWith('/') || r.Prefix.Any(char.IsControl)))
        {
            throw Bad("'prefix' must be at most 256 characters, without control characters, and must not start with '/'.");
        }

        if (r.AccessKeyId is null || r.AccessKeyId.Length is 0 or > 256 || r.AccessKeyId.Any(c => c is <= ' ' or > '~'))
        {
            throw Bad("'access_key_id' is required: 1-256 printable ASCII characters without spaces.");
        }

        if (r.SecretAccessKey is null ? !hasStoredSecret : r.SecretAccessKey.Length is 0 or > 256 || r.SecretAccessKey.Any(char.IsControl))
        {
            throw Bad("'secret_access_key' is required (1-256 characters without control characters) unless the s3 sink already has one.");
        }
    }

    private static void ValidateSyslog(AuditSinkRequest r, bool allowPrivate)
    {
        if ((r.Endpoint ?? r.Bucket ?? r.Region ?? r.Prefix ?? r.AccessKeyId ?? r.SecretAccessKey) is not null)
        {
            throw Bad("A syslog sink takes only 'host' and 'port'; endpoint, bucket, region, prefix, access_key_id and secret_access_key belong to s3 sinks.");
        }

        if (r.Host is null || r.Host.Length > 253 || Uri.CheckHostName(r.Host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            throw Bad("'host' must be a host name or an IP address (at most 253 characters).");
        }

        if (!allowPrivate && SinkAddressPolicy.IsPrivateLiteral(r.Host))
        {
            throw Bad($"'host' names '{r.Host}', a loopback or private address, which a sink may not reach.");
        }

        if (r.Port is not (>= 1 and <= 65535))
        {
            throw Bad("'port' must be a TCP port between 1 and 65535.");
        }
    }

    private static ProblemException Bad(string detail) => new(ProblemCatalog.InvalidRequest, detail);

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-z0-9-]{1,64}$")]
    private static partial Regex RegionName();
}
