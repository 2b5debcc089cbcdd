using System.Net;
using BookBytes.JobStore.PostgreSql.Tests;
using BookBytes.Storage.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BookBytes.WebHost.Tests;

/// <summary>
/// The scaled-out shape from the README: an API-only node and a worker node sharing one PostgreSQL and
/// one S3 bucket (s3rver; it does not verify signatures, so this proves routing, not signing).
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private S3rverServer _s3 = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _s3 = await S3rverServer.StartAsync("bookbytes-audio");
    }

    public async Task DisposeAsync()
    {
        await _s3.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task An_api_only_node_takes_the_request_a_worker_node_does_the_work_and_audio_redirects_to_s3()
    {
        var shared = new Dictionary<string, string?>
        {
            ["ConnectionStrings:BookBytes"] = await _postgres.CreateDatabaseAsync("scaleout"),
            ["BookBytes:Storage:Provider"] = "S3",
            ["BookBytes:Storage:S3:BucketName"] = _s3.BucketName,
            ["BookBytes:Storage:S3:ServiceUrl"] = _s3.ServiceUrl.ToString(),
            ["BookBytes:Storage:S3:ForcePathStyle"] = "true",
            ["BookBytes:Storage:S3:AccessKey"] = S3rverServer.AccessKey,
            ["BookBytes:Storage:S3:SecretKey"] = S3rverServer.SecretKey,
        };
        using var api = new BookBytesHost(worker: false, store: "PostgreSql", settings: shared);
        using var worker = new BookBytesHost(worker: true, store: "PostgreSql", settings: shared);
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        worker.CreateClient().Dispose();

        var accepted = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = "978-0-14-032872-1" })).JsonAsync();
        var job = await client.WaitForJobAsync(accepted.GetProperty("jobId").GetGuid());
        var audio = await client.GetAsync($"/api/v1/audiobooks/{accepted.GetProperty("audioBookId").GetGuid()}/chapters/1/audio");
        using var outside = new HttpClient();
        var bytes = await outside.GetByteArrayAsync(audio.Headers.Location);

        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        audio.StatusCode.Should().Be(HttpStatusCode.Found);
        audio.Headers.Location!.Scheme.Should().Be("http");
        audio.Headers.Location.Query.Should().Contain("X-Amz-Signature", "a presigned URL");
        bytes.Should().Equal(worker.OpenAi.Audio);
        api.OpenAi.Requests(FakeOpenAi.SpeechPath).Should().BeEmpty("the API-only node runs no jobs");
        worker.OpenAi.Requests(FakeOpenAi.SpeechPath).Should().NotBeEmpty();

        // Deleted through the API node, the bucket's objects go too: the still-valid presigned URL finds nothing.
        using var delete = await client.DeleteAsync($"/api/v1/audiobooks/{accepted.GetProperty("audioBookId").GetGuid()}?cancel=true");
        using var afterDelete = await outside.GetAsync(audio.Headers.Location);
        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        afterDelete.StatusCode.Should().Be(HttpStatusCode.NotFound, "every object under the audiobook's folder is deleted from S3");
    }
}
