using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BookBytes.Storage.S3;
using BookBytes.Storage.Tests.Support;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.Tests.S3;

/// <summary>
/// The contract suite and the S3-only behaviour, against a real s3rver started by <see cref="S3rverFixture"/>.
/// s3rver checks the access key id but does not verify signatures: these tests prove routing, request
/// format and payload handling (e.g. that no aws-chunked framing ends up in the object), not SigV4 signing.
/// </summary>
[Collection(S3rverGroup.Name)]
public sealed class S3StorageBackendTests : StorageBackendContractTests, IDisposable
{
    private const int PartSize = S3StorageOptions.MinPartSize;

    private readonly S3rverServer _server;
    private readonly S3StorageBackend _backend;
    private readonly AmazonS3Client _inspector;
    private readonly HttpClient _http = new();

    public S3StorageBackendTests(S3rverFixture fixture)
    {
        _server = fixture.Server;
        _backend = Create();
        _inspector = new AmazonS3Client(
            new BasicAWSCredentials(S3rverServer.AccessKey, S3rverServer.SecretKey),
            new AmazonS3Config { ServiceURL = _server.ServiceUrl.AbsoluteUri, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
    }

    protected override IStorageBackend Backend => _backend;

    public void Dispose()
    {
        _backend.Dispose();
        _inspector.Dispose();
        _http.Dispose();
    }

    protected override async Task<byte[]> DownloadAsync(Uri url)
    {
        url.Scheme.Should().Be(Uri.UriSchemeHttp);
        return await _http.GetByteArrayAsync(url);
    }

    protected override async Task<IReadOnlyCollection<string>> ListEverythingAsync()
    {
        var names = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _server.BucketName };
        ListObjectsV2Response response;
        do
        {
            response = await _inspector.ListObjectsV2Async(request);
            names.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        return names;
    }

    [Fact]
    public async Task Content_type_is_stored_for_single_and_multipart_uploads()
    {
        var small = NewKey("small.mp3");
        var large = NewKey("large.wav");
        await _backend.SaveAsync(small, new PseudoRandomStream(100, 1), "audio/mpeg");
        await _backend.SaveAsync(large, new PseudoRandomStream(PartSize + 1, 1), "audio/wav");

        using var smallResponse = await _http.GetAsync(await _backend.GetUrlAsync(small));
        using var largeResponse = await _http.GetAsync(await _backend.GetUrlAsync(large));

        smallResponse.Content.Headers.ContentType!.MediaType.Should().Be("audio/mpeg");
        largeResponse.Content.Headers.ContentType!.MediaType.Should().Be("audio/wav");
    }

    [Theory]
    [InlineData(PartSize - 1, 0)]
    [InlineData(PartSize, 1)]
    [InlineData((2 * PartSize) + 3, 3)]
    public async Task Content_of_a_part_or_more_goes_up_as_a_multipart_upload(int size, int parts)
    {
        var recorder = new RecordingHttpClientFactory();
        using var backend = Create(recorder: recorder);
        var key = NewKey();

        await backend.SaveAsync(key, new PseudoRandomStream(size, 9), "audio/mpeg");

        var requests = recorder.Requests.ToList();
        var metadata = await _inspector.GetObjectMetadataAsync(_server.BucketName, key.Value);
        metadata.Headers.ContentLength.Should().Be(size);
        if (parts == 0)
        {
            requests.Should().ContainSingle().Which.Method.Should().Be("PUT");
        }
        else
        {
            requests.Select(r => r.Method).Should().Equal(["POST", .. Enumerable.Repeat("PUT", parts), "POST"]);
            requests[0].Url.Query.Should().Contain("uploads");
            requests.Skip(1).Take(parts).Select(r => r.Url.Query).Should().AllSatisfy(q => q.Should().Contain("uploadId="));
        }
    }

    [Fact]
    public async Task Uploads_to_a_service_url_are_not_chunk_encoded_unless_asked()
    {
        var plain = new RecordingHttpClientFactory();
        var chunked = new RecordingHttpClientFactory();
        using var plainBackend = Create(recorder: plain);
        using var chunkedBackend = Create(o => o.UseChunkEncoding = true, chunked);

        await plainBackend.SaveAsync(NewKey(), new PseudoRandomStream(PartSize + 1, 1), "audio/mpeg");
        await chunkedBackend.SaveAsync(NewKey(), new PseudoRandomStream(100, 1), "audio/mpeg");

        plain.Requests.Where(r => r.Method == "PUT").Should().HaveCount(2).And.AllSatisfy(r =>
        {
            r.Header("x-amz-content-sha256").Should().MatchRegex("^[0-9a-f]{64}$");
            (r.Header("Content-Encoding") ?? string.Empty).Should().NotContain("aws-chunked");
        });
        chunked.Requests.Should().ContainSingle(r => r.Method == "PUT")
            .Which.Header("x-amz-content-sha256").Should().StartWith("STREAMING-");
    }

    [Fact]
    public async Task Cancelled_multipart_upload_is_aborted()
    {
        var recorder = new RecordingHttpClientFactory();
        using var backend = Create(recorder: recorder);
        var key = NewKey();
        using var cancellation = new CancellationTokenSource();
        var content = new CancellingStream(new PseudoRandomStream(4L * PartSize, 3), PartSize + 10, cancellation);

        var save = async () => await backend.SaveAsync(key, content, "audio/mpeg", cancellation.Token);

        // s3rver implements neither AbortMultipartUpload nor ListMultipartUploads, so the abort is proved by the request sent.
        await save.Should().ThrowAsync<OperationCanceledException>();
        recorder.Requests.Should().ContainSingle(r => r.Method == "DELETE")
            .Which.Url.Should().Match<Uri>(u => u.AbsolutePath.EndsWith(key.Value) && u.Query.Contains("uploadId="));
        (await _backend.ExistsAsync(key)).Should().BeFalse();
    }

    [Fact]
    public async Task Presigned_url_is_http_for_an_http_service_url_and_carries_the_expiry()
    {
        var key = NewKey();

        var url = await _backend.GetUrlAsync(key, TimeSpan.FromMinutes(5));

        url.Scheme.Should().Be(Uri.UriSchemeHttp);
        url.Authority.Should().Be(_server.ServiceUrl.Authority);
        url.AbsolutePath.Should().Be($"/{_server.BucketName}/{key.Value}");
        url.Query.Should().MatchRegex("X-Amz-Expires=(299|300|301)(&|$)").And.Contain("X-Amz-Signature=");
    }

    [Fact]
    public async Task Zero_expiry_gives_the_plain_object_url()
    {
        var key = NewKey();
        await _backend.SaveAsync(key, new MemoryStream([1, 2, 3]), "audio/mpeg");

        var url = await _backend.GetUrlAsync(key, TimeSpan.Zero);

        url.Should().Be(new Uri(_server.ServiceUrl, $"{_server.BucketName}/{key.Value}"));
        (await _http.GetByteArrayAsync(url)).Should().Equal(1, 2, 3);
    }

    [Theory]
    [InlineData(false, null, "https://bucket-x.s3.eu-west-1.amazonaws.com/a/b.mp3")]
    [InlineData(true, null, "https://s3.eu-west-1.amazonaws.com/bucket-x/a/b.mp3")]
    [InlineData(false, "https://storage.example.com", "https://bucket-x.storage.example.com/a/b.mp3")]
    [InlineData(true, "http://minio.local:9000/", "http://minio.local:9000/bucket-x/a/b.mp3")]
    public async Task Plain_url_follows_the_addressing_style(bool forcePathStyle, string? serviceUrl, string expected)
    {
        using var backend = Create(o =>
        {
            o.BucketName = "bucket-x";
            o.Region = "eu-west-1";
            o.ForcePathStyle = forcePathStyle;
            o.ServiceUrl = serviceUrl is null ? null : new Uri(serviceUrl);
            o.UrlExpiry = TimeSpan.Zero;
        });

        var url = await backend.GetUrlAsync(StorageKey.Parse("a/b.mp3"));

        url.Should().Be(new Uri(expected));
    }

    [Fact]
    public async Task Missing_bucket_gives_a_storage_exception_naming_the_bucket_setting()
    {
        using var backend = Create(o => o.BucketName = "no-such-bucket");
        var key = NewKey();

        var save = async () => await backend.SaveAsync(key, new MemoryStream([1]), "audio/mpeg");
        var exists = async () => await backend.ExistsAsync(key);
        var open = async () => await backend.OpenReadAsync(key);

        (await save.Should().ThrowAsync<StorageException>()).Which.Message.Should().Contain("BookBytes:Storage:S3:BucketName").And.Contain("no-such-bucket");
        await exists.Should().ThrowAsync<StorageException>().WithMessage("*BookBytes:Storage:S3:BucketName*");
        await open.Should().ThrowAsync<StorageException>().WithMessage("*BookBytes:Storage:S3:BucketName*");
    }

    [Fact]
    public async Task Unknown_access_key_gives_a_storage_exception_naming_the_key_settings()
    {
        using var backend = Create(o => o.AccessKey = "NOT-A-KEY");

        var save = async () => await backend.SaveAsync(NewKey(), new MemoryStream([1]), "audio/mpeg");

        var thrown = await save.Should().ThrowAsync<StorageException>();
        thrown.Which.Message.Should().Contain("BookBytes:Storage:S3:AccessKey").And.Contain("BookBytes:Storage:S3:SecretKey");
        thrown.Which.IsTransient.Should().BeFalse();
        thrown.Which.Message.Should().NotContain(S3rverServer.SecretKey);
    }

    [Fact]
    public async Task Opened_stream_reports_the_object_length()
    {
        var key = NewKey();
        await _backend.SaveAsync(key, new PseudoRandomStream(4321, 2), "audio/mpeg");

        await using var stream = await _backend.OpenReadAsync(key);

        stream!.Length.Should().Be(4321);
        stream.CanSeek.Should().BeFalse();
    }

    private S3StorageBackend Create(Action<S3StorageOptions>? configure = null, RecordingHttpClientFactory? recorder = null)
    {
        var options = new S3StorageOptions
        {
            BucketName = _server.BucketName,
            ServiceUrl = _server.ServiceUrl,
            ForcePathStyle = true,
            AccessKey = S3rverServer.AccessKey,
            SecretKey = S3rverServer.SecretKey,
            PartSize = PartSize,
        };
        configure?.Invoke(options);
        return new S3StorageBackend(Options.Create(options), null, null, recorder is null ? null : c => c.HttpClientFactory = recorder);
    }
}
