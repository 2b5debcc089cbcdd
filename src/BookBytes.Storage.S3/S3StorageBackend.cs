using System.Globalization;
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.S3;

/// <summary>An <see cref="IStorageBackend"/> that keeps each object in an S3 (or S3-compatible) bucket under its key.</summary>
/// <remarks>
/// <para>
/// Uploads are streamed: the content is read one part (<see cref="S3StorageOptions.PartSize"/>) at a
/// time. Content shorter than one part goes up in a single PutObject; longer content goes up as a
/// multipart upload, reading the next part while the previous one uploads, so at most two part buffers
/// are alive per upload. A seekable stream shorter than a part gets a buffer of its own length; other
/// streams get whole parts. Buffers are allocated per upload and not pooled, so nothing part-sized stays
/// allocated between uploads. A failed or cancelled multipart upload is aborted, and the object is only replaced when the
/// upload completes.
/// </para>
/// <para>
/// The backend creates and owns its <c>AmazonS3Client</c> (created on first use, disposed with the
/// backend); S3 failures are thrown as <see cref="StorageException"/> naming the setting to check.
/// Thread-safe: one instance serves any number of concurrent calls.
/// </para>
/// </remarks>
public sealed partial class S3StorageBackend : IStorageBackend, IDisposable
{
    private const string Section = S3StorageOptions.SectionName;
    private const int MaxParts = 10_000;
    private const int InitialBufferSize = 256 * 1024;

    private readonly S3StorageOptions _options;
    private readonly string _bucket;
    private readonly Lazy<AmazonS3Client> _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private volatile bool _bucketVerified;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock presigned URLs expire by, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names the configuration key.</exception>
    public S3StorageBackend(IOptions<S3StorageOptions> options, ILogger<S3StorageBackend>? logger = null, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, configureClient: null)
    {
    }

    /// <summary>Initializes a new instance whose client configuration is adjusted before the client is created (tests record HTTP traffic this way).</summary>
    internal S3StorageBackend(IOptions<S3StorageOptions> options, ILogger<S3StorageBackend>? logger, TimeProvider? timeProvider, Action<AmazonS3Config>? configureClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var validation = new S3StorageOptionsValidator().Validate(Options.DefaultName, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(S3StorageOptions), validation.Failures);
        }

        _bucket = _options.BucketName!;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _client = new Lazy<AmazonS3Client>(() => CreateClient(_options, configureClient), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(10);

    private AmazonS3Client Client => _client.Value;

    /// <inheritdoc/>
    /// <remarks>Always <see langword="true"/>: <see cref="GetUrlAsync"/> gives presigned URLs the bucket serves itself, ranges included.</remarks>
    public bool ServesDirectUrls => true;

    /// <inheritdoc/>
    /// <remarks>The stream is forward-only (not seekable); its <see cref="Stream.Length"/> is the object's size. Dispose it to release the connection.</remarks>
    public async Task<Stream?> OpenReadAsync(StorageKey key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        try
        {
            var response = await Client.GetObjectAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
            return new S3ObjectReadStream(response, (ex, ct) => IsS3Failure(ex, ct) ? Map(ex, "read", objectKey) : null);
        }
        catch (AmazonS3Exception ex) when (IsMissingKey(ex))
        {
            return null;
        }
        catch (Exception ex) when (IsS3Failure(ex, cancellationToken))
        {
            throw Map(ex, "open", objectKey);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A presigned GET URL valid for <paramref name="expiry"/> (default <see cref="S3StorageOptions.UrlExpiry"/>),
    /// <c>http</c> when <see cref="S3StorageOptions.ServiceUrl"/> is <c>http</c>. An expiry of
    /// <see cref="TimeSpan.Zero"/> gives the plain object URL, which only works for public buckets.
    /// The object need not exist.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiry"/> is negative or above 7 days.</exception>
    public async Task<Uri> GetUrlAsync(StorageKey key, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        var lifetime = expiry ?? _options.UrlExpiry;
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.Zero, nameof(expiry));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, S3StorageOptions.MaxUrlExpiry, nameof(expiry));
        cancellationToken.ThrowIfCancellationRequested();
        if (lifetime == TimeSpan.Zero)
        {
            return PlainUrl(objectKey);
        }

        try
        {
            var url = await Client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                Verb = HttpVerb.GET,
                Expires = (_timeProvider.GetUtcNow() + lifetime).UtcDateTime,
                Protocol = _options.ServiceUrl?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
            }).ConfigureAwait(false);
            return new Uri(url);
        }
        catch (Exception ex) when (IsS3Failure(ex, cancellationToken))
        {
            throw Map(ex, "sign a URL for", objectKey);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// S3 deletes answer the same whether or not the object existed, so the object is looked up first;
    /// a concurrent writer may therefore make the answer stale.
    /// </remarks>
    public async Task<bool> DeleteAsync(StorageKey key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        if (!await ExistsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            await Client.DeleteObjectAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
            LogDeleted(_logger, objectKey);
            return true;
        }
        catch (Exception ex) when (IsS3Failure(ex, cancellationToken))
        {
            throw Map(ex, "delete", objectKey);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Lists the keys under the folder a page at a time and deletes each page with one multi-object delete (at most 1,000 keys a request).</remarks>
    public async Task<int> DeleteUnderAsync(StorageKey folder, CancellationToken cancellationToken = default)
    {
        var prefix = ObjectKey(folder) + "/";
        var deleted = 0;
        try
        {
            var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, MaxKeys = 1000 };
            while (true)
            {
                var page = await Client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                if (page.S3Objects is { Count: > 0 } objects)
                {
                    var delete = new DeleteObjectsRequest { BucketName = _bucket, Objects = [.. objects.Select(o => new KeyVersion { Key = o.Key })], Quiet = true };
                    var answer = await Client.DeleteObjectsAsync(delete, cancellationToken).ConfigureAwait(false);
                    if (answer.DeleteErrors is { Count: > 0 } errors)
                    {
                        throw new StorageException($"S3 refused to delete {errors.Count} objects under '{prefix}', for example '{errors[0].Key}': {errors[0].Code} {errors[0].Message}", isTransient: true);
                    }

                    deleted += objects.Count;
                }

                if (page.IsTruncated != true)
                {
                    break;
                }

                request.ContinuationToken = page.NextContinuationToken;
            }
        }
        catch (Exception ex) when (IsS3Failure(ex, cancellationToken))
        {
            throw Map(ex, "delete", prefix);
        }

        LogDeleted(_logger, prefix);
        return deleted;
    }

    /// <inheritdoc/>
    /// <remarks>A HEAD request; when it answers 404 the bucket is checked once, so a missing bucket is reported rather than read as "no object".</remarks>
    public async Task<bool> ExistsAsync(StorageKey key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        try
        {
            await Client.GetObjectMetadataAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
            _bucketVerified = true;
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            await EnsureBucketExistsAsync(objectKey, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (Exception ex) when (IsS3Failure(ex, cancellationToken))
        {
            throw Map(ex, "look up", objectKey);
        }
    }

    /// <summary>Disposes the S3 client, if one was created.</summary>
    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    /// <summary>Creates the client the options describe.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="configure">Adjusts the client configuration last, or <see langword="null"/>.</param>
    /// <returns>A new client the caller owns.</returns>
    internal static AmazonS3Client CreateClient(S3StorageOptions options, Action<AmazonS3Config>? configure = null)
    {
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (options.ServiceUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl.AbsoluteUri;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        if (!options.FlexibleChecksumsEnabled)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        configure?.Invoke(config);

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    private static string ObjectKey(StorageKey key) => string.IsNullOrEmpty(key.Value)
        ? throw new ArgumentException("The storage key is empty (default(StorageKey)); create keys with StorageKey.Parse.", nameof(key))
        : key.Value;

    private static bool IsMissingKey(AmazonS3Exception ex)
        => ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode is not "NoSuchBucket";

    /// <summary>
    /// Whether an exception is S3's (or the network's) failure rather than the caller's cancellation. The SDK
    /// unwraps transport errors before throwing them, so a reset connection arrives as a bare
    /// <see cref="IOException"/> and an HTTP time-out as a <see cref="TimeoutException"/> or a cancellation
    /// the caller did not ask for.
    /// </summary>
    private static bool IsS3Failure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private async Task EnsureBucketExistsAsync(string objectKey, CancellationToken cancellationToken)
    {
        if (_bucketVerified)
        {
            return;
        }

        try
        {
            await Client.HeadBucketAsync(new HeadBucketRequest { BucketName = _bucket }, cancellationToken).ConfigureAwait(false);
            _bucketVerified = true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new StorageException(BucketMissingMessage(), isTransient: false, ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            // Allowed to read objects but not to list the bucket: the bucket exists.
            _bucketVerified = true;
        }
        catch (Exception ex) when (IsS3Failure(ex, cancellationToken))
        {
            throw Map(ex, "look up", objectKey);
        }
    }

    private StoredObject Stored(StorageKey key, long length)
        => new(key, string.Create(CultureInfo.InvariantCulture, $"s3://{_bucket}/{key.Value}"), length);

    private Uri PlainUrl(string objectKey)
    {
        if (_options.ServiceUrl is { } serviceUrl)
        {
            var basePath = serviceUrl.AbsolutePath.TrimEnd('/');
            var builder = new UriBuilder(serviceUrl) { Query = string.Empty, Fragment = string.Empty };
            if (_options.ForcePathStyle)
            {
                builder.Path = $"{basePath}/{_bucket}/{objectKey}";
            }
            else
            {
                builder.Host = $"{_bucket}.{serviceUrl.Host}";
                builder.Path = $"{basePath}/{objectKey}";
            }

            return builder.Uri;
        }

        return _options.ForcePathStyle
            ? new Uri($"https://s3.{_options.Region}.amazonaws.com/{_bucket}/{objectKey}")
            : new Uri($"https://{_bucket}.s3.{_options.Region}.amazonaws.com/{objectKey}");
    }

    private string BucketMissingMessage()
        => $"The S3 bucket '{_bucket}' does not exist{Endpoint()}; check {Section}:{nameof(S3StorageOptions.BucketName)} (and {Section}:{nameof(S3StorageOptions.Region)} / {Section}:{nameof(S3StorageOptions.ServiceUrl)}).";

    private string Endpoint() => _options.ServiceUrl is { } url ? $" at {url.GetLeftPart(UriPartial.Authority)}" : $" in {_options.Region}";

    private StorageException Map(Exception ex, string operation, string objectKey)
    {
        var what = $"Could not {operation} '{objectKey}' in S3 bucket '{_bucket}'{Endpoint()}";
        if (ex is AmazonS3Exception s3)
        {
            var code = s3.ErrorCode ?? ((int)s3.StatusCode).ToString(CultureInfo.InvariantCulture);
            return code switch
            {
                "NoSuchBucket" => new StorageException(BucketMissingMessage(), isTransient: false, ex),
                "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" => new StorageException(
                    $"{what}: S3 refused the credentials ({code}); check {Section}:{nameof(S3StorageOptions.AccessKey)} and {Section}:{nameof(S3StorageOptions.SecretKey)} (or the default AWS credential chain when they are empty).",
                    isTransient: false,
                    ex),
                _ when s3.StatusCode == HttpStatusCode.Forbidden => new StorageException(
                    $"{what}: access denied ({code}); check {Section}:{nameof(S3StorageOptions.AccessKey)} / {Section}:{nameof(S3StorageOptions.SecretKey)} (or the default AWS credential chain) and the bucket policy.",
                    isTransient: false,
                    ex),
                _ => new StorageException(
                    $"{what}: {code} ({(int)s3.StatusCode}).",
                    isTransient: (int)s3.StatusCode >= 500 || s3.StatusCode == HttpStatusCode.TooManyRequests || code is "SlowDown" or "RequestTimeout",
                    ex),
            };
        }

        if (ex is AmazonClientException && ex.Message.Contains("credential", StringComparison.OrdinalIgnoreCase))
        {
            return new StorageException(
                $"{what}: no AWS credentials were found; set {Section}:{nameof(S3StorageOptions.AccessKey)} and {Section}:{nameof(S3StorageOptions.SecretKey)}, or configure the default AWS credential chain.",
                isTransient: false,
                ex);
        }

        return new StorageException($"{what}: {ex.Message}", isTransient: true, ex);
    }

    [LoggerMessage(1, LogLevel.Debug, "Stored {Key} ({Length} bytes, {Parts} part(s))")]
    private static partial void LogSaved(ILogger logger, string key, long length, int parts);

    [LoggerMessage(2, LogLevel.Debug, "Deleted {Key}")]
    private static partial void LogDeleted(ILogger logger, string key);

    [LoggerMessage(3, LogLevel.Debug, "Aborted the multipart upload of {Key}")]
    private static partial void LogAborted(ILogger logger, string key);

    [LoggerMessage(4, LogLevel.Warning, "Could not abort the multipart upload of {Key}; a bucket lifecycle rule should clean it up")]
    private static partial void LogAbortFailed(ILogger logger, string key, Exception exception);
}
