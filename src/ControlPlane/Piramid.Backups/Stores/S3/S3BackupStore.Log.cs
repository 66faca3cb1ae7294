using Microsoft.Extensions.Logging;

namespace Piramid.Backups.Stores.S3;

public sealed partial class S3BackupStore
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the upload of backup object '{Key}': {Uploaded} of {Parts} parts are already there.")]
    private partial void LogResuming(string key, int uploaded, int parts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Uploaded backup object '{Key}' in {Parts} parts ({Skipped} resumed).")]
    private partial void LogUploaded(string key, int parts, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backup object '{Key}' completed an upload started for other content; rewriting its SHA-256 metadata.")]
    private partial void LogRewritingMetadata(string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Aborted the unfinished upload {UploadId} of '{BucketKey}'.")]
    private partial void LogUploadAborted(string bucketKey, string uploadId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} backup objects under '{Prefix}'.")]
    private partial void LogPrefixDeleted(string prefix, int count);
}
