using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BookBytes.WebHost.Tests;

/// <summary>The REST API end to end on a full node: process, follow, read, download, refresh.</summary>
public sealed class ProcessingTests(WorkerHost host) : IClassFixture<WorkerHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Posting_an_isbn_produces_an_audiobook_whose_chapter_audio_is_the_tts_output()
    {
        var response = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = "978-0-14-032872-1", voice = "coral" });
        var accepted = await response.JsonAsync();
        var jobId = accepted.GetProperty("jobId").GetGuid();
        var job = await _client.WaitForJobAsync(jobId);
        var book = await (await _client.GetAsync($"/api/v1/audiobooks/{accepted.GetProperty("audioBookId").GetGuid()}")).JsonAsync();
        var chapters = book.GetProperty("chapters").EnumerateArray().ToList();
        var downloads = new List<byte[]>();
        foreach (var chapter in chapters)
        {
            downloads.Add(await _client.GetByteArrayAsync(chapter.GetProperty("audioUrl").GetString()));
        }

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        response.Headers.Location!.OriginalString.Should().Be($"/api/v1/jobs/{jobId}");
        accepted.PropertyNames().Should().BeEquivalentTo("jobId", "audioBookId", "status", "message");
        accepted.GetProperty("status").GetString().Should().Be("Pending");
        job.PropertyNames().Should().BeEquivalentTo(
            "id", "jobType", "status", "progress", "currentStep", "audioBookId", "attempt", "maxAttempts", "rescues", "nextAttemptAt",
            "errorCode", "errorMessage", "usage", "createdAt", "updatedAt", "startedAt", "completedAt");
        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        job.GetProperty("jobType").GetString().Should().Be("AudiobookGeneration");
        job.GetProperty("progress").GetInt32().Should().Be(100);
        job.GetProperty("audioBookId").GetGuid().Should().Be(accepted.GetProperty("audioBookId").GetGuid());
        book.PropertyNames().Should().BeEquivalentTo(
            "id", "edition", "mode", "grounding", "summaryWords", "status", "version", "voice", "totalDurationSeconds", "chapters", "coverUrl", "feedUrl", "package", "job", "createdAt", "updatedAt");
        book.GetProperty("mode").GetString().Should().Be("summary");
        book.GetProperty("grounding").GetString().Should().Be("model");
        book.GetProperty("status").GetString().Should().Be("Completed");
        // The latest job is the packaging that follows the finished book (waiting Jobs:PackagingDelay), or the book's own job.
        var latest = book.GetProperty("job");
        if (latest.GetProperty("id").GetGuid() == jobId)
        {
            latest.GetProperty("status").GetString().Should().Be("Completed", "the book names its latest job, so a client opening it can follow it");
        }
        else
        {
            latest.GetProperty("jobType").GetString().Should().Be("AudiobookPackaging", "the book names its latest job, so a client opening it can follow it");
            latest.GetProperty("audioBookId").GetGuid().Should().Be(accepted.GetProperty("audioBookId").GetGuid());
        }
        book.GetProperty("voice").GetString().Should().Be("coral");
        book.GetProperty("edition").GetProperty("title").GetString().Should().Be("Fantastic Mr. Fox");
        chapters.Should().NotBeEmpty();
        chapters[0].PropertyNames().Should().BeEquivalentTo(
            "number", "title", "summary", "status", "audioUrl", "transcriptUrl", "durationSeconds", "wordCount", "errorMessage", "liveAudioUrl");
        chapters.Select(c => c.GetProperty("audioUrl").GetString()).Should().OnlyContain(url => url!.StartsWith($"/api/v1/audiobooks/{book.GetProperty("id").GetGuid()}/chapters/", StringComparison.Ordinal));
        downloads.Should().HaveCount(chapters.Count).And.OnlyContain(bytes => bytes.SequenceEqual(host.OpenAi.Audio));
        // Other tests of this class share the fake; this one alone asks for the voice "coral".
        var speech = host.OpenAi.Requests(FakeOpenAi.SpeechPath).Where(e => e.RequestMessage.Body!.Contains("\"coral\"", StringComparison.Ordinal)).ToList();
        // On a compatible server "coral" is not a voice known to be there, so a short call with the title proves it first.
        speech.Should().HaveCount(chapters.Count + 1);
        speech.Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("input").GetString()).Should().ContainSingle(input => input == "Fantastic Mr. Fox");
        speech.Should().OnlyContain(e => e.RequestMessage.Headers!["Authorization"].Single() == $"Bearer {FakeOpenAi.ApiKey}");
    }

    [Fact]
    public async Task Posting_an_edition_id_from_the_lookup_works_a_duplicate_is_409_and_ranges_are_served()
    {
        var edition = await (await _client.GetAsync($"/api/v1/books/isbn/{FakeOpenLibrary.GodelEscherBach}")).JsonAsync();
        var editionId = edition.GetProperty("editionId").GetGuid();
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { editionId })).JsonAsync();
        await _client.WaitForJobAsync(accepted.GetProperty("jobId").GetGuid());
        var duplicate = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = "0-465-02656-7" });
        var audioUrl = $"/api/v1/audiobooks/{accepted.GetProperty("audioBookId").GetGuid()}/chapters/1/audio";
        using var range = new HttpRequestMessage(HttpMethod.Get, audioUrl) { Headers = { Range = new RangeHeaderValue(100, 1099) } };
        var partial = await _client.SendAsync(range);
        var slice = await partial.Content.ReadAsByteArrayAsync();

        edition.PropertyNames().Should().BeEquivalentTo("editionId", "isbn13", "title", "authors", "language", "publishYear", "coverUrl", "source", "tableOfContents");
        edition.GetProperty("source").GetString().Should().Be("catalog");
        edition.GetProperty("isbn13").GetString().Should().Be("9780465026562");
        var problem = await duplicate.ShouldBeProblemAsync(HttpStatusCode.Conflict, "AUDIOBOOK_EXISTS");
        problem.GetProperty("audioBookId").GetGuid().Should().Be(accepted.GetProperty("audioBookId").GetGuid());
        problem.TryGetProperty("jobId", out _).Should().BeFalse("no job is working on a finished audiobook");
        partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        partial.Content.Headers.ContentType!.MediaType.Should().Be("audio/mpeg");
        partial.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 100-1099/{host.OpenAi.Audio.Length}");
        slice.Should().Equal(host.OpenAi.Audio[100..1100]);
    }

    [Fact]
    public async Task The_event_stream_sends_the_job_on_each_change_and_ends_at_completed_with_the_audio_stored()
    {
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.SevenHabits })).JsonAsync();
        var jobId = accepted.GetProperty("jobId").GetGuid();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var response = await _client.GetAsync($"/api/v1/jobs/{jobId}/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var events = new List<JsonElement>();
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token), Encoding.UTF8))
        {
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                }
            }
        }

        var book = await (await _client.GetAsync($"/api/v1/audiobooks/{accepted.GetProperty("audioBookId").GetGuid()}")).JsonAsync();
        var chapters = book.GetProperty("chapters").EnumerateArray().ToList();
        var downloads = new List<byte[]>();
        foreach (var chapter in chapters)
        {
            downloads.Add(await _client.GetByteArrayAsync(chapter.GetProperty("audioUrl").GetString()));
        }

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        book.GetProperty("status").GetString().Should().Be("Completed", "the stream ended when the audiobook was done");
        chapters.Should().NotBeEmpty();
        downloads.Should().HaveCount(chapters.Count).And.OnlyContain(bytes => bytes.SequenceEqual(host.OpenAi.Audio));
        events.Should().HaveCountGreaterThan(1, "the stream opened while the book was being made");
        events[0].GetProperty("status").GetString().Should().NotBe("Completed");
        events.Should().OnlyContain(e => e.GetProperty("id").GetGuid() == jobId);
        events[^1].GetProperty("status").GetString().Should().Be("Completed");
        events[^1].GetProperty("progress").GetInt32().Should().Be(100);
        events.Select(e => e.GetProperty("progress").GetInt32()).Should().BeInAscendingOrder();
        events.Take(events.Count - 1).Should().OnlyContain(e => e.GetProperty("status").GetString() != "Completed");
    }

    [Fact]
    public async Task Refresh_without_force_keeps_the_version_and_with_force_builds_the_next_one()
    {
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.LePetitPrince })).JsonAsync();
        var audioBookId = accepted.GetProperty("audioBookId").GetGuid();
        await _client.WaitForJobAsync(accepted.GetProperty("jobId").GetGuid());
        var speechBefore = host.OpenAi.Requests(FakeOpenAi.SpeechPath).Count;

        var plain = await _client.PostAsync($"/api/v1/books/{audioBookId}/refresh", null);
        var plainJob = await _client.WaitForJobAsync((await plain.JsonAsync()).GetProperty("jobId").GetGuid());
        var afterPlain = await (await _client.GetAsync($"/api/v1/audiobooks/{audioBookId}")).JsonAsync();
        var speechAfterPlain = host.OpenAi.Requests(FakeOpenAi.SpeechPath).Count;
        var forced = await _client.PostJsonAsync($"/api/v1/books/{audioBookId}/refresh", new { force = true });
        var forcedBody = await forced.JsonAsync();
        var forcedJob = await _client.WaitForJobAsync(forcedBody.GetProperty("jobId").GetGuid());
        var afterForce = await (await _client.GetAsync($"/api/v1/audiobooks/{audioBookId}")).JsonAsync();
        var audio = await _client.GetByteArrayAsync(afterForce.GetProperty("chapters")[0].GetProperty("audioUrl").GetString());

        plain.StatusCode.Should().Be(HttpStatusCode.Accepted);
        plain.Headers.Location.Should().NotBeNull();
        plainJob.GetProperty("jobType").GetString().Should().Be("AudiobookRefresh");
        plainJob.GetProperty("status").GetString().Should().Be("Completed");
        afterPlain.GetProperty("version").GetInt32().Should().Be(1);
        speechAfterPlain.Should().Be(speechBefore, "a refresh without force redoes only what is missing");
        forced.StatusCode.Should().Be(HttpStatusCode.Accepted);
        forcedBody.GetProperty("audioBookId").GetGuid().Should().Be(audioBookId);
        forcedJob.GetProperty("status").GetString().Should().Be("Completed");
        afterForce.GetProperty("version").GetInt32().Should().Be(2);
        afterForce.GetProperty("chapters").GetArrayLength().Should().Be(3);
        host.OpenAi.Requests(FakeOpenAi.SpeechPath).Count.Should().Be(speechAfterPlain + 3);
        audio.Should().Equal(host.OpenAi.Audio);
    }
}
