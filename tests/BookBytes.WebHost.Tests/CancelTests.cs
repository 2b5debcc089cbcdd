using System.Net;

namespace BookBytes.WebHost.Tests;

/// <summary><c>POST /api/v1/jobs/{id}/cancel</c> through the host: a pending job is cancelled at once; an ended or unknown one is refused as problem JSON.</summary>
public sealed class CancelTests
{
    [Fact]
    public async Task A_pending_job_is_cancelled_at_once_and_its_audiobook_says_so()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory");
        using var client = host.CreateClient();
        var accepted = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = "978-0-14-032872-1" })).JsonAsync();
        var jobId = accepted.GetProperty("jobId").GetGuid();

        using var cancel = await client.PostAsync($"/api/v1/jobs/{jobId}/cancel", null);
        var job = await cancel.JsonAsync();
        using var twice = await client.PostAsync($"/api/v1/jobs/{jobId}/cancel", null);
        var book = await (await client.GetAsync($"/api/v1/audiobooks/{accepted.GetProperty("audioBookId").GetGuid()}")).JsonAsync();

        cancel.StatusCode.Should().Be(HttpStatusCode.OK, job.ToString());
        job.GetProperty("status").GetString().Should().Be("Cancelled");
        job.GetProperty("errorCode").GetString().Should().Be("JOB_CANCELLED");
        twice.StatusCode.Should().Be(HttpStatusCode.OK, "cancelling twice answers the cancelled job again");
        book.GetProperty("status").GetString().Should().Be("Failed", "nothing was stored before the cancel");
        book.GetProperty("job").GetProperty("status").GetString().Should().Be("Cancelled");
    }

    [Fact]
    public async Task An_ended_job_is_409_job_ended_and_an_unknown_one_404()
    {
        using var host = new BookBytesHost();
        using var client = host.CreateClient();
        var accepted = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = "978-0-14-032872-1" })).JsonAsync();
        var jobId = accepted.GetProperty("jobId").GetGuid();
        (await client.WaitForJobAsync(jobId)).GetProperty("status").GetString().Should().Be("Completed");

        using var ended = await client.PostAsync($"/api/v1/jobs/{jobId}/cancel", null);
        using var unknown = await client.PostAsync($"/api/v1/jobs/{Guid.NewGuid()}/cancel", null);

        ended.StatusCode.Should().Be(HttpStatusCode.Conflict);
        ended.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await ended.JsonAsync()).GetProperty("code").GetString().Should().Be("JOB_ENDED");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await unknown.JsonAsync()).GetProperty("code").GetString().Should().Be("JOB_NOT_FOUND");
    }
}
