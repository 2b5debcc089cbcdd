using System.Net;
using System.Text.Json;

namespace BookBytes.WebHost.Tests;

/// <summary><c>DELETE /api/v1/audiobooks/{id}</c> through the host on local storage: every object of every version goes, the edition stays.</summary>
public sealed class DeleteTests
{
    [Fact]
    public async Task Deleting_a_finished_narration_removes_its_chapters_transcripts_and_package_and_again_is_204()
    {
        using var host = new BookBytesHost(providers: false, settings: new Dictionary<string, string?> { ["BookBytes:Jobs:PackagingDelay"] = "00:00:00" });
        using var client = host.CreateClient();
        var editionId = await client.UploadAsync(TestBooks.Pdf("A Book to Delete"));
        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration" })).JsonAsync();
        var id = started.GetProperty("audioBookId").GetGuid();
        (await client.WaitForJobAsync(started.GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(3))).GetProperty("status").GetString().Should().Be("Completed");
        await WaitForPackageAsync(client, id);
        var folder = Path.Combine(host.Root, "audio", "audiobooks", id.ToString("D"));
        var storedBefore = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();

        using var delete = await client.DeleteAsync($"/api/v1/audiobooks/{id}");
        using var again = await client.DeleteAsync($"/api/v1/audiobooks/{id}");
        using var gone = await client.GetAsync($"/api/v1/audiobooks/{id}");
        using var audio = await client.GetAsync($"/api/v1/audiobooks/{id}/chapters/2/audio");
        using var edition = await client.GetAsync($"/api/v1/editions/{editionId}");

        storedBefore.Should().Contain(["chapter-002.mp3", "chapter-002.vtt", "book.m4b", "book.mp3"]);
        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        again.StatusCode.Should().Be(HttpStatusCode.NoContent, "deleting is idempotent");
        Directory.Exists(folder).Should().BeFalse("every object of the audiobook is deleted");
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
        audio.StatusCode.Should().Be(HttpStatusCode.NotFound);
        edition.StatusCode.Should().Be(HttpStatusCode.OK, "the edition and its document are kept");
        var redo = await client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration" });
        redo.StatusCode.Should().Be(HttpStatusCode.Accepted, "the edition can be made again");
    }

    [Fact]
    public async Task A_book_with_a_waiting_job_is_409_unless_cancel_is_asked_for()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory");
        using var client = host.CreateClient();
        var accepted = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = "978-0-14-032872-1" })).JsonAsync();
        var id = accepted.GetProperty("audioBookId").GetGuid();

        using var refused = await client.DeleteAsync($"/api/v1/audiobooks/{id}");
        var problem = await refused.JsonAsync();
        using var cancelled = await client.DeleteAsync($"/api/v1/audiobooks/{id}?cancel=true");
        using var gone = await client.GetAsync($"/api/v1/audiobooks/{id}");

        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().Should().Be("JOB_IN_PROGRESS");
        cancelled.StatusCode.Should().Be(HttpStatusCode.NoContent);
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static async Task WaitForPackageAsync(HttpClient client, Guid id)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while ((await (await client.GetAsync($"/api/v1/audiobooks/{id}", deadline.Token)).JsonAsync()).GetProperty("package").ValueKind != JsonValueKind.Object)
        {
            await Task.Delay(100, deadline.Token);
        }

        // The packaging job is recorded as ended a moment after the package.
        while ((await (await client.GetAsync($"/api/v1/audiobooks/{id}", deadline.Token)).JsonAsync()).GetProperty("job").GetProperty("status").GetString() is "Pending" or "Processing")
        {
            await Task.Delay(100, deadline.Token);
        }
    }
}
