using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Piramid.Backups.Stores;

namespace Piramid.Backups.Configuration;

/// <summary>Checks <see cref="BackupStoreOptions"/> at start, naming the configuration key of every problem.</summary>
internal sealed partial class BackupStoreOptionsValidator : IValidateOptions<BackupStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, BackupStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string P = BackupStoreOptions.Section + ":";
        var errors = new List<string>();
        switch (options.Store)
        {
            case BackupStoreOptions.FilesystemStore:
                if (string.IsNullOrWhiteSpace(options.Directory))
                {
                    errors.Add($"'{P}Directory' is required when '{P}Store' is 'filesystem' (e.g. .piramid/backups).");
                }

                break;
            case BackupStoreOptions.S3Store:
                ValidateS3(options.S3, errors);
                break;
            default:
                errors.Add($"'{P}Store' must be 'filesystem' or 's3', not '{options.Store}'.");
                break;
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateS3(S3StoreOptions s3, List<string> errors)
    {
        const string P = BackupStoreOptions.Section + ":S3:";
        if (!BucketName().IsMatch(s3.Bucket ?? ""))
        {
            errors.Add($"'{P}Bucket' must be an S3 bucket name: 3-63 lower-case letters, digits, '.' and '-'.");
        }

        if (!string.IsNullOrEmpty(s3.ServiceUrl)
            && (!Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"'{P}ServiceUrl' must be an absolute http or https URL.");
        }

        if (!string.IsNullOrEmpty(s3.Prefix) && !BackupKey.IsValid(s3.Prefix))
        {
            errors.Add($"'{P}Prefix' must be '/'-separated segments without a leading or trailing '/', '.', '..' or control characters.");
        }

        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            errors.Add($"'{P}Region' is required (us-east-1 for most S3-compatible services).");
        }

        if (string.IsNullOrEmpty(s3.AccessKey) != string.IsNullOrEmpty(s3.SecretKey))
        {
            errors.Add($"'{P}AccessKey' and '{P}SecretKey' go together: set both, or neither to use the default credentials.");
        }

        if (s3.PartSizeBytes < S3StoreOptions.MinPartSizeBytes || s3.PartSizeBytes > S3StoreOptions.MaxPartSizeBytes)
        {
            errors.Add($"'{P}PartSizeBytes' must lie between {S3StoreOptions.MinPartSizeBytes} (5 MiB) and {S3StoreOptions.MaxPartSizeBytes} (1 GiB).");
        }

        if (s3.MultipartThresholdBytes < 0 || s3.MultipartThresholdBytes > S3StoreOptions.MaxMultipartThresholdBytes)
        {
            errors.Add($"'{P}MultipartThresholdBytes' must lie between 0 and {S3StoreOptions.MaxMultipartThresholdBytes} (1 GiB).");
        }

        if (s3.MaxAttempts is < 1 or > 20)
        {
            errors.Add($"'{P}MaxAttempts' must lie between 1 and 20.");
        }

        if (s3.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"'{P}RequestTimeout' must be a positive duration (e.g. 00:05:00).");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
