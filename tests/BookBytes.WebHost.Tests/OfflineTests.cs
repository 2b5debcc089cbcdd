using System.Net;
using System.Net.Http.Headers;
using BookBytes.Testing.Audio;
using Microsoft.Extensions.DependencyInjection;
using static BookBytes.Documents.Tests.Epub.EpubBuilder;

namespace BookBytes.WebHost.Tests;

/// <summary>
/// The host with no key at all: speech from the machine's own engines (eSpeak NG, installed by the test command) and
/// extractive summaries of an uploaded book's text, as <c>./build.sh run</c> gives a newcomer.
/// </summary>
public sealed class OfflineTests : IDisposable
{
    private readonly BookBytesHost _host = new(providers: false);
    private readonly HttpClient _client;

    public OfflineTests() => _client = _host.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task With_no_provider_configured_an_uploaded_epub_is_narrated_and_summarised_into_valid_audio()
    {
        var editionId = await UploadAsync(Book("en", "The Offline Orchard", Prose));

        var narration = await StartAsync(new { editionId, mode = "narration" });
        var summary = await StartAsync(new { editionId, mode = "summary", summaryWords = 60 });
        var narrated = await _client.WaitForJobAsync(narration.JobId, TimeSpan.FromMinutes(2));
        var summarised = await _client.WaitForJobAsync(summary.JobId, TimeSpan.FromMinutes(2));

        narrated.GetProperty("status").GetString().Should().Be("Completed", narrated.ToString());
        summarised.GetProperty("status").GetString().Should().Be("Completed", summarised.ToString());
        var narrationBook = await (await _client.GetAsync($"/api/v1/audiobooks/{narration.AudioBookId}")).JsonAsync();
        var summaryBook = await (await _client.GetAsync($"/api/v1/audiobooks/{summary.AudioBookId}")).JsonAsync();
        narrationBook.GetProperty("voice").GetString().Should().MatchRegex(@"^(espeak-ng|flite|festival)\.", "the machine's own engine speaks");
        summaryBook.GetProperty("grounding").GetString().Should().Be("text");
        var narrated1 = await ChapterAudioAsync(narration.AudioBookId, 1);
        var summarised1 = await ChapterAudioAsync(summary.AudioBookId, 1);
        var (codec, seconds) = Probe(narrated1);
        codec.Should().Be("mp3");
        seconds.Should().BeGreaterThan(20, "the chapter's ~110 words are read out whole");
        var (summaryCodec, summarySeconds) = Probe(summarised1);
        summaryCodec.Should().Be("mp3");
        summarySeconds.Should().BeGreaterThan(1).And.BeLessThan(seconds, "the extractive summary keeps at most 60 of the chapter's words");
    }

    [Fact]
    public async Task A_german_book_without_a_voice_is_spoken_by_the_german_voice()
    {
        var editionId = await UploadAsync(Book("de", "Der stille Garten", GermanProse));

        var started = await StartAsync(new { editionId, mode = "narration" });
        var job = await _client.WaitForJobAsync(started.JobId, TimeSpan.FromMinutes(2));

        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        var book = await (await _client.GetAsync($"/api/v1/audiobooks/{started.AudioBookId}")).JsonAsync();
        book.GetProperty("voice").GetString().Should().Be("espeak-ng.de");
        Probe(await ChapterAudioAsync(started.AudioBookId, 1)).Codec.Should().Be("mp3");
    }

    [Fact]
    public async Task A_book_known_only_by_its_isbn_is_refused_with_503_saying_a_summary_needs_its_text_or_a_model()
    {
        var process = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.FantasticMrFox });
        var catalogCalls = _host.Catalog.Server.LogEntries.Count;
        var estimate = await (await _client.PostJsonAsync("/api/v1/books/estimate", new { isbn = FakeOpenLibrary.FantasticMrFox })).JsonAsync();

        var problem = await process.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "PROVIDER_NOT_CONFIGURED");
        problem.GetProperty("detail").GetString().Should().Contain("upload the book's file").And.Contain("BookBytes:OpenAI:ApiKey");
        catalogCalls.Should().Be(0, "the refusal comes before the catalog is asked");
        estimate.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).Should().Contain(n => n!.Contains("works only from a book's text", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_voices_of_the_local_engines_are_listed_and_an_unknown_voice_is_400()
    {
        var voices = await (await _client.GetAsync("/api/v1/voices")).JsonAsync();
        var editionId = await UploadAsync(Book("en", "Voice Check", Prose));

        var names = voices.GetProperty("voices").EnumerateArray().Select(v => v.GetString()).ToList();
        names.Should().Contain(["espeak-ng.en-us", "espeak-ng.de", "espeak-ng.fr-fr"]);
        voices.GetProperty("model").GetString().Should().Be("local-speech");
        voices.GetProperty("acceptsOtherVoices").GetBoolean().Should().BeFalse();
        names.Should().Contain(voices.GetProperty("defaultVoice").GetString());
        var unknown = await _client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration", voice = "alloy" });
        await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VOICE_UNKNOWN");
    }

    [Fact]
    public async Task The_page_offers_the_sample_book_and_it_uploads_as_three_chapters()
    {
        var page = await _client.GetStringAsync("/");
        var sample = await _client.GetAsync("/sample/the-lantern-at-gull-point.md");
        var bytes = await sample.Content.ReadAsByteArrayAsync();
        using var content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/markdown") } };
        var edition = await (await _client.PostAsync("/api/v1/books/upload", content)).JsonAsync();

        page.Should().Contain("Try the sample book");
        sample.StatusCode.Should().Be(HttpStatusCode.OK);
        edition.GetProperty("title").GetString().Should().Be("The Lantern at Gull Point");
        edition.GetProperty("tableOfContents").EnumerateArray().Select(e => e.GetProperty("title").GetString())
            .Should().Equal("The Keeper", "The Lesson", "The Storm");
    }

    [Fact]
    public async Task OpenAI_summaries_with_the_machines_own_speech_make_an_isbn_book_with_no_speech_bought()
    {
        using var host = new BookBytesHost(settings: new Dictionary<string, string?> { ["BookBytes:Tts:Provider"] = "Local" });
        using var client = host.CreateClient();

        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.FantasticMrFox })).JsonAsync();
        var job = await client.WaitForJobAsync(started.GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(2));

        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        var book = await (await client.GetAsync($"/api/v1/audiobooks/{started.GetProperty("audioBookId").GetGuid()}")).JsonAsync();
        book.GetProperty("voice").GetString().Should().Be("flite.slt", "an English book without a voice gets the default English voice");
        book.GetProperty("grounding").GetString().Should().Be("model");
        host.OpenAi.Requests(FakeOpenAi.ChatPath).Should().NotBeEmpty("the summaries are OpenAI's");
        host.OpenAi.Requests(FakeOpenAi.SpeechPath).Should().BeEmpty("the speech is the machine's");
        using var audio = await client.GetAsync($"/api/v1/audiobooks/{started.GetProperty("audioBookId").GetGuid()}/chapters/1/audio");
        Ffprobe.Probe(await audio.Content.ReadAsByteArrayAsync(), "mp3").Codec.Should().Be("mp3");
    }

    [Fact]
    public async Task Without_an_installed_engine_speech_is_503_naming_the_debian_package_and_no_worker_runs()
    {
        using var host = new BookBytesHost(providers: false, settings: BookBytesHost.NoLocalSpeech);
        using var client = host.CreateClient();
        var editionId = await client.UploadAsync(TestBooks.Pdf("Unspoken"));

        var process = await client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration" });
        var ready = await (await client.GetAsync("/health/ready")).JsonAsync();

        var problem = await process.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "PROVIDER_NOT_CONFIGURED");
        problem.GetProperty("detail").GetString().Should().Contain("ITtsProvider").And.Contain("apt-get install espeak-ng");
        ready.GetProperty("checks").GetProperty("providers").GetProperty("status").GetString().Should().Be("Degraded");
        host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Should().NotContain(s => s.GetType().FullName == "BookBytes.Pipeline.Jobs.JobRunner");
    }

    private const string Prose =
        "The orchard stood on the south side of the hill, where the morning sun reached the trees first. "
        + "Every spring the old farmer walked its rows and counted the blossoms on each branch. "
        + "He said that a tree tells you in April what it will give you in September. "
        + "His granddaughter did not believe him, so she kept a notebook of her own. "
        + "She wrote down the blossoms in spring and the apples in autumn, tree by tree. "
        + "After three years the notebook agreed with the farmer more often than not. "
        + "The trees that flowered early and thickly gave the heaviest harvest. "
        + "The trees that flowered late gave small, sour fruit that the birds ate first. "
        + "She showed him the notebook, and he laughed and said that now she knew the orchard as well as he did.";

    private const string GermanProse =
        "Der Garten lag hinter dem alten Haus, und im Sommer blühten dort die Rosen. "
        + "Jeden Morgen ging die Großmutter durch die Beete und schnitt die welken Blüten ab. "
        + "Sie sagte, dass ein Garten Geduld braucht und dass man ihm zuhören muss. "
        + "Ihr Enkel verstand das nicht, bis er selbst einen kleinen Garten anlegte.";

    private static byte[] Book(string language, string title, string text)
    {
        var (manifest, spine) = Items("one.xhtml", "two.xhtml");
        return new Documents.Tests.Epub.EpubBuilder()
            .Standard(Package($"<dc:title>{title}</dc:title><dc:language>{language}</dc:language><dc:creator>Ada Writer</dc:creator>", manifest, spine))
            .Add("OEBPS/one.xhtml", Xhtml($"<h1>One</h1><p>{text}</p>"))
            .Add("OEBPS/two.xhtml", Xhtml($"<h1>Two</h1><p>{text}</p>"))
            .Build();
    }

    private async Task<Guid> UploadAsync(byte[] epub)
    {
        using var content = new ByteArrayContent(epub) { Headers = { ContentType = new MediaTypeHeaderValue("application/epub+zip") } };
        var response = await _client.PostAsync("/api/v1/books/upload", content);
        var edition = await response.JsonAsync();
        response.IsSuccessStatusCode.Should().BeTrue(edition.ToString());
        return edition.GetProperty("editionId").GetGuid();
    }

    private async Task<(Guid JobId, Guid AudioBookId)> StartAsync(object body)
    {
        var response = await _client.PostJsonAsync("/api/v1/books/process", body);
        var started = await response.JsonAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, started.ToString());
        return (started.GetProperty("jobId").GetGuid(), started.GetProperty("audioBookId").GetGuid());
    }

    private async Task<byte[]> ChapterAudioAsync(Guid audioBookId, int number)
    {
        var response = await _client.GetAsync($"/api/v1/audiobooks/{audioBookId}/chapters/{number}/audio");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("audio/mpeg");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static (string Codec, double Seconds) Probe(byte[] audio)
    {
        var probed = Ffprobe.Probe(audio, "mp3");
        return (probed.Codec, probed.Seconds);
    }
}
