using Amazon.Runtime;
using Amazon.S3;
using Piramid.Backups.Configuration;

namespace Piramid.Backups.Stores.S3;

/// <summary>Builds the S3 client from <see cref="S3StoreOptions"/>: endpoint, credentials, retries and timeouts in one place.</summary>
public static class S3ClientFactory
{
    /// <summary>
    /// A client for <paramref name="options"/>. <paramref name="handler"/> replaces the HTTP handler (tests count
    /// and fail requests with it); the client does not dispose it.
    /// </summary>
    public static AmazonS3Client Create(S3StoreOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            AuthenticationRegion = options.Region,
            ForcePathStyle = options.ForcePathStyle,
            // Standard mode retries 5xx, throttling and timeouts with exponential backoff and jitter.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxAttempts - 1,
            Timeout = options.RequestTimeout,
            // The store sends Content-MD5 and checks ETags and SHA-256 itself; the SDK's default CRC32 trailer
            // (aws-chunked bodies) is not understood by every S3-compatible service.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
        }

        if (handler is not null)
        {
            config.HttpClientFactory = new FixedHandlerFactory(handler, options.RequestTimeout);
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    private sealed class FixedHandlerFactory(HttpMessageHandler handler, TimeSpan timeout) : HttpClientFactory, IDisposable
    {
        private readonly HttpClient _client = new(handler, disposeHandler: false) { Timeout = timeout };

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public void Dispose() => _client.Dispose();
    }
}
