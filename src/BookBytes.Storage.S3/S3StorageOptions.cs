namespace BookBytes.Storage.S3;

/// <summary>Settings of <see cref="S3StorageBackend"/>, bound from <see cref="SectionName"/>.</summary>
/// <remarks>Read once when the backend is created; later changes have no effect.</remarks>
public sealed class S3StorageOptions
{
    /// <summary>The configuration section the options are bound from: <c>BookBytes:Storage:S3</c>.</summary>
    public const string SectionName = "BookBytes:Storage:S3";

    /// <summary>The smallest part size S3 accepts for every part but the last: 5 MiB.</summary>
    public const int MinPartSize = 5 * 1024 * 1024;

    /// <summary>The largest part size accepted here: 512 MiB (a part is held in memory while it uploads).</summary>
    public const int MaxPartSize = 512 * 1024 * 1024;

    /// <summary>The longest lifetime of a presigned URL that Signature Version 4 allows: 7 days.</summary>
    public static readonly TimeSpan MaxUrlExpiry = TimeSpan.FromDays(7);

    /// <summary>Gets or sets the bucket the objects go into. Required; the bucket must exist.</summary>
    public string? BucketName { get; set; }

    /// <summary>Gets or sets the AWS region, also used to sign requests to an S3-compatible <see cref="ServiceUrl"/>. Default <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// Gets or sets the endpoint of an S3-compatible server (MinIO, s3rver, R2, ...), for example
    /// <c>http://127.0.0.1:9000</c>; <see langword="null"/> for AWS S3 in <see cref="Region"/>.
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>Gets or sets a value indicating whether the bucket is addressed in the path (<c>host/bucket/key</c>) rather than the host name. Most S3-compatible servers need <see langword="true"/>. Default <see langword="false"/>.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Gets or sets the access key id. With <see cref="SecretKey"/>; when both are empty the SDK's default credential chain is used (environment, profile, instance role, ...).</summary>
    public string? AccessKey { get; set; }

    /// <summary>Gets or sets the secret access key; see <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// Gets or sets how long presigned GET URLs stay valid, at most 7 days. <see cref="TimeSpan.Zero"/>
    /// returns the plain, unsigned object URL instead (for public buckets). Default one hour.
    /// </summary>
    public TimeSpan UrlExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the size of one multipart upload part, in bytes, from <see cref="MinPartSize"/> to
    /// <see cref="MaxPartSize"/>. Objects smaller than this go up in one request; larger ones in parts.
    /// At most two parts are held in memory per upload. Default 8 MiB.
    /// </summary>
    public int PartSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Gets or sets a value indicating whether uploads use SigV4 streaming payload signing
    /// (<c>Content-Encoding: aws-chunked</c>). <see langword="null"/> (the default) means: on for AWS,
    /// off when <see cref="ServiceUrl"/> is set, because several S3-compatible servers (s3rver among
    /// them) store the chunk framing inside the object. With it off, each part's SHA-256 is computed
    /// before it is sent, which the part buffer makes cheap.
    /// </summary>
    public bool? UseChunkEncoding { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the SDK adds CRC checksums to every upload even where S3
    /// does not require them (AWS SDK v4's <c>WHEN_SUPPORTED</c>). <see langword="null"/> (the default)
    /// means: on for AWS, off when <see cref="ServiceUrl"/> is set, since not every S3-compatible server
    /// understands the checksum headers and trailers.
    /// </summary>
    public bool? UseFlexibleChecksums { get; set; }

    /// <summary>Gets the effective <see cref="UseChunkEncoding"/>.</summary>
    internal bool ChunkEncodingEnabled => UseChunkEncoding ?? ServiceUrl is null;

    /// <summary>Gets the effective <see cref="UseFlexibleChecksums"/>.</summary>
    internal bool FlexibleChecksumsEnabled => UseFlexibleChecksums ?? ServiceUrl is null;
}
