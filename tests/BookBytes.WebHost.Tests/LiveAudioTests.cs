using System.Net;
using System.Text.Json;

namespace BookBytes.WebHost.Tests;

/// <summary>Listening to a chapter while it is made: its audio endpoint streams the segments as they land.</summary>
public class LiveAudioTests
{
    [Fact]
    public async Task A_listener_reading_a_chapter_while_it_is_made_receives_exactly_the_bytes_of_the_finished_file()
    {
        using var host = new BookBytesHost(settings: new Dictionary<string, string?>
        {
            // Short chunks spoken one at a time, each taking 400 ms: the chapter is made over a few seconds.
            ["BookBytes:Tts:ChunkCharacters"] = "100",
            ["BookBytes:Tts:MaxConcurrency"] = "1",
            ["BookBytes:Jobs:PackageWhenDone"] = "false",
        });
        host.OpenAi.SpeakSlowly(TimeSpan.FromMilliseconds(400));
        var client = host.CreateClient();

        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.LePetitPrince })).JsonAsync();
        var bookId = started.GetProperty("audioBookId").GetGuid();
        var live = await WaitForLiveAudioUrlAsync(client, bookId);

        using var response = await client.GetAsync(live, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("audio/mpeg");
        response.Content.Headers.ContentLength.Should().BeNull("the chapter's length is not known while it is made");
        await using var body = await response.Content.ReadAsStreamAsync();
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        var read = await body.ReadAsync(buffer);
        read.Should().BePositive();
        received.Write(buffer, 0, read);
        var whileFirstByte = await ChapterOneAsync(client, bookId);
        await body.CopyToAsync(received);
        var job = await client.WaitForJobAsync(started.GetProperty("jobId").GetGuid());
        var finished = await client.GetByteArrayAsync((await ChapterOneAsync(client, bookId)).GetProperty("audioUrl").GetString());

        whileFirstByte.GetProperty("status").GetString().Should().NotBe("Completed", "the first bytes came while the chapter was being made");
        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        host.OpenAi.Requests(FakeOpenAi.SpeechPath).Count.Should().BeGreaterThan(3, "the chapter was spoken in several chunks");
        received.ToArray().Should().Equal(finished, "the stream is the finished chapter, byte for byte");
        (await ChapterOneAsync(client, bookId)).GetProperty("liveAudioUrl").ValueKind.Should().Be(JsonValueKind.Null, "a stored chapter is served from its file");
    }

    [Fact]
    public async Task A_chapter_not_being_made_has_no_live_audio_and_its_audio_is_not_ready()
    {
        using var host = new BookBytesHost(worker: false);
        var client = host.CreateClient();
        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.LePetitPrince })).JsonAsync();
        var bookId = started.GetProperty("audioBookId").GetGuid();

        var book = await (await client.GetAsync($"/api/v1/audiobooks/{bookId}")).JsonAsync();
        var response = await client.GetAsync($"/api/v1/audiobooks/{bookId}/chapters/1/audio");

        book.GetProperty("chapters").GetArrayLength().Should().Be(0, "no worker has outlined the book");
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "CHAPTER_NOT_FOUND");
    }

    private static async Task<string> WaitForLiveAudioUrlAsync(HttpClient client, Guid bookId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var book = await (await client.GetAsync($"/api/v1/audiobooks/{bookId}")).JsonAsync();
            var chapters = book.GetProperty("chapters");
            if (chapters.GetArrayLength() > 0 && chapters[0].GetProperty("liveAudioUrl").GetString() is { } url)
            {
                return url;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Chapter 1 never had a live audio URL.");
    }

    private static async Task<JsonElement> ChapterOneAsync(HttpClient client, Guid bookId)
        => (await (await client.GetAsync($"/api/v1/audiobooks/{bookId}")).JsonAsync()).GetProperty("chapters")[0];
}
