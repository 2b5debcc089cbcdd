using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BookBytes.Testing.Audio;
using static BookBytes.Documents.Tests.Epub.EpubBuilder;

namespace BookBytes.WebHost.Tests;

/// <summary>
/// What a listener keeps, through the host with the machine's own speech and Debian's ffmpeg: the chaptered M4B and MP3, the
/// podcast feed read by a real feed parser, the transcripts, and the private token URLs when API keys are on.
/// </summary>
public sealed class ListeningTests : IDisposable
{
    private const string FeedSecret = "a-feed-secret-for-the-tests-0123456789";

    private readonly BookBytesHost _host = new(providers: false);
    private readonly HttpClient _client;

    public ListeningTests() => _client = _host.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task A_finished_book_is_packaged_into_an_m4b_and_an_mp3_with_a_chapter_mark_where_each_chapter_starts_its_cover_and_its_tags()
    {
        var book = await NarratedAndPackagedAsync(_client, CoverPng());

        var chapters = book.GetProperty("chapters").EnumerateArray().ToList();
        var package = book.GetProperty("package");
        package.GetProperty("complete").GetBoolean().Should().BeTrue();
        package.GetProperty("chapters").EnumerateArray().Select(c => c.GetInt32()).Should().Equal(1, 2, 3);
        var durations = chapters.Select(c => c.GetProperty("durationSeconds").GetDouble()).ToList();
        var starts = durations.Select((_, i) => durations.Take(i).Sum()).ToList();
        foreach (var (format, mediaType, codec) in new[] { ("m4b", "audio/mp4", "aac"), ("mp3", "audio/mpeg", "mp3") })
        {
            var file = package.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("format").GetString() == format);
            using var response = await _client.GetAsync(file.GetProperty("url").GetString());
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
            response.Content.Headers.ContentDisposition!.FileNameStar.Should().Be($"The Lantern Keeper.{format}");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            bytes.LongLength.Should().Be(file.GetProperty("sizeBytes").GetInt64());

            var probed = ProbeFile(bytes, format);
            probed.Chapters.Select(c => c.Title).Should().Equal(["The Keeper", "The Lesson", "The Storm"], format);
            for (var i = 0; i < 3; i++)
            {
                probed.Chapters[i].Start.Should().BeApproximately(starts[i], 0.05, $"{format} chapter {i + 1} starts where the chapters before it end");
                probed.Chapters[i].End.Should().BeApproximately(starts[i] + durations[i], 0.05, $"{format} chapter {i + 1} ends with its audio");
            }

            probed.AudioCodec.Should().Be(codec);
            probed.HasCover.Should().BeTrue($"the {format} carries the document's cover");
            probed.Tags.Should().Contain("title", "The Lantern Keeper").And.Contain("artist", "Ada Writer");
            probed.Seconds.Should().BeApproximately(durations.Sum(), 0.1);
        }
    }

    [Fact]
    public async Task A_finished_book_is_packaged_without_being_asked_once_the_packaging_delay_has_passed()
    {
        using var host = new BookBytesHost(providers: false, settings: new Dictionary<string, string?> { ["BookBytes:Jobs:PackagingDelay"] = "00:00:01" });
        using var client = host.CreateClient();
        var editionId = await client.UploadAsync(Epub(cover: null));
        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration" })).JsonAsync();
        var id = started.GetProperty("audioBookId").GetGuid();
        (await client.WaitForJobAsync(started.GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(3))).GetProperty("status").GetString().Should().Be("Completed");

        var book = await PackagedAsync(client, id);

        book.GetProperty("package").GetProperty("complete").GetBoolean().Should().BeTrue();
        book.GetProperty("package").GetProperty("files").EnumerateArray().Select(f => f.GetProperty("format").GetString()).Should().Equal("m4b", "mp3");
        using var m4b = await client.GetAsync($"/api/v1/audiobooks/{id}/audio?format=m4b");
        m4b.StatusCode.Should().Be(HttpStatusCode.OK);
        ProbeFile(await m4b.Content.ReadAsByteArrayAsync(), "m4b").Chapters.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_new_version_asked_for_as_soon_as_a_book_is_finished_is_accepted_while_its_packaging_waits()
    {
        var editionId = await _client.UploadAsync(Epub(cover: null));
        var started = await (await _client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration" })).JsonAsync();
        var id = started.GetProperty("audioBookId").GetGuid();
        (await _client.WaitForJobAsync(started.GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(3))).GetProperty("status").GetString().Should().Be("Completed");

        using var refresh = await _client.PostJsonAsync($"/api/v1/books/{id}/refresh", new { force = true });
        var body = await refresh.JsonAsync();

        refresh.StatusCode.Should().Be(HttpStatusCode.Accepted, body.ToString());
        var job = await _client.WaitForJobAsync(body.GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(3));
        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        (await (await _client.GetAsync($"/api/v1/audiobooks/{id}")).JsonAsync()).GetProperty("version").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task The_m4b_honours_range_requests_and_the_formats_are_checked()
    {
        var book = await NarratedAndPackagedAsync(_client, cover: null);
        var id = book.GetProperty("id").GetGuid();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audiobooks/{id}/audio?format=m4b") { Headers = { Range = new RangeHeaderValue(0, 99) } };
        using var partial = await _client.SendAsync(request);
        var invalid = await _client.GetAsync($"/api/v1/audiobooks/{id}/audio?format=ogg");
        var post = await _client.PostJsonAsync($"/api/v1/audiobooks/{id}/package", new { formats = new[] { "wav" } });
        var unknown = await _client.GetAsync($"/api/v1/audiobooks/{Guid.NewGuid()}/audio");

        partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).Should().HaveCount(100);
        partial.Content.Headers.ContentRange!.Length.Should().Be(book.GetProperty("package").GetProperty("files")[0].GetProperty("sizeBytes").GetInt64());
        await invalid.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await post.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "AUDIOBOOK_NOT_FOUND");
    }

    [Fact]
    public async Task Without_ffmpeg_a_book_is_not_packaged_its_audio_is_404_AUDIO_NOT_READY_and_asking_is_503()
    {
        using var host = new BookBytesHost(providers: false, settings: new Dictionary<string, string?> { ["BookBytes:Packaging:FfmpegPath"] = "/nonexistent/ffmpeg" });
        using var client = host.CreateClient();
        var editionId = await client.UploadAsync(Epub(CoverPng()));
        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration" })).JsonAsync();
        var id = started.GetProperty("audioBookId").GetGuid();
        var job = await client.WaitForJobAsync(started.GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(2));

        var audio = await client.GetAsync($"/api/v1/audiobooks/{id}/audio");
        var post = await client.PostJsonAsync($"/api/v1/audiobooks/{id}/package", new { });
        var book = await (await client.GetAsync($"/api/v1/audiobooks/{id}")).JsonAsync();

        job.GetProperty("status").GetString().Should().Be("Completed");
        var problem = await audio.ShouldBeProblemAsync(HttpStatusCode.NotFound, "AUDIO_NOT_READY");
        problem.GetProperty("detail").GetString().Should().Contain($"/api/v1/audiobooks/{id}/package");
        (await post.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "PROVIDER_NOT_CONFIGURED")).GetProperty("detail").GetString().Should().Contain("apt-get install ffmpeg");
        book.GetProperty("package").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Asking_to_package_makes_the_files_again_as_a_job_and_a_book_with_no_stored_chapter_is_409()
    {
        var book = await NarratedAndPackagedAsync(_client, cover: null);
        var id = book.GetProperty("id").GetGuid();
        var first = book.GetProperty("package").GetProperty("createdAt").GetDateTimeOffset();

        var accepted = await _client.PostJsonAsync($"/api/v1/audiobooks/{id}/package", new { formats = new[] { "mp3" } });
        var body = await accepted.JsonAsync();
        var job = await _client.WaitForJobAsync(body.GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(2));
        var after = await (await _client.GetAsync($"/api/v1/audiobooks/{id}")).JsonAsync();

        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        accepted.Headers.Location!.ToString().Should().Be($"/api/v1/jobs/{body.GetProperty("jobId").GetGuid()}");
        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        job.GetProperty("jobType").GetString().Should().Be("AudiobookPackaging");
        after.GetProperty("package").GetProperty("createdAt").GetDateTimeOffset().Should().BeAfter(first);
        after.GetProperty("package").GetProperty("files").EnumerateArray().Select(f => f.GetProperty("format").GetString()).Should().Equal("mp3");
    }

    [Fact]
    public async Task The_feed_read_by_a_podcast_parser_has_one_episode_per_chapter_in_order_and_every_enclosure_is_audio()
    {
        var book = await NarratedAndPackagedAsync(_client, CoverPng());
        var id = book.GetProperty("id").GetGuid();

        using var response = await _client.GetAsync(book.GetProperty("feedUrl").GetString());
        var xml = await response.Content.ReadAsStringAsync();
        var feed = ParseFeed(xml);

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/rss+xml");
        feed.GetProperty("title").GetString().Should().Be("The Lantern Keeper");
        feed.GetProperty("itunes").GetProperty("author").GetString().Should().Be("Ada Writer");
        feed.GetProperty("itunes").GetProperty("image").GetString().Should().EndWith($"/api/v1/audiobooks/{id}/cover");
        feed.GetProperty("itunes:type").GetString().Should().Be("serial");
        feed.GetProperty("language").GetString().Should().Be("en");
        xml.Should().Contain("<itunes:category text=\"Arts\">");
        var items = feed.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("title").GetString()).Should().Equal("The Keeper", "The Lesson", "The Storm");
        items.Select(i => i.GetProperty("itunes:episode").GetString()).Should().Equal("1", "2", "3");
        items.Select(i => i.GetProperty("guid").GetString()).Should().OnlyHaveUniqueItems().And.AllSatisfy(g => g.Should().StartWith($"bookbytes:{id:D}:v1:"));
        var chapters = book.GetProperty("chapters").EnumerateArray().ToList();
        for (var i = 0; i < items.Count; i++)
        {
            var enclosure = items[i].GetProperty("enclosure");
            enclosure.GetProperty("type").GetString().Should().Be("audio/mpeg");
            var audio = await _client.GetByteArrayAsync(new Uri(enclosure.GetProperty("url").GetString()!).PathAndQuery);
            audio.LongLength.Should().Be(long.Parse(enclosure.GetProperty("length").GetString()!, CultureInfo.InvariantCulture));
            Ffprobe.Probe(audio, "mp3").Seconds.Should().BeApproximately(chapters[i].GetProperty("durationSeconds").GetDouble(), 0.1);
            items[i].GetProperty("itunes").GetProperty("duration").GetString().Should().Be(((long)Math.Round(chapters[i].GetProperty("durationSeconds").GetDouble())).ToString(CultureInfo.InvariantCulture));
        }

        var cover = await _client.GetAsync($"/api/v1/audiobooks/{id}/cover");
        cover.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
    }

    [Fact]
    public async Task With_api_keys_the_feed_its_enclosures_and_the_packaged_file_work_by_token_and_a_wrong_token_is_401()
    {
        using var host = new BookBytesHost(providers: false, settings: new Dictionary<string, string?>
        {
            ["BookBytes:Host:ApiKeys:0"] = "listener-key",
            ["BookBytes:Host:FeedSecret"] = FeedSecret,
        });
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "listener-key");
        var book = await NarratedAndPackagedAsync(client, cover: null);
        var id = book.GetProperty("id").GetGuid();
        var feedUrl = book.GetProperty("feedUrl").GetString()!;
        using var app = host.CreateClient();   // a podcast app: no header

        var xml = await app.GetStringAsync(feedUrl);
        var items = ParseFeed(xml).GetProperty("items").EnumerateArray().ToList();
        var enclosure = new Uri(items[0].GetProperty("enclosure").GetProperty("url").GetString()!).PathAndQuery;
        var audio = await app.GetAsync(enclosure);
        var m4b = await app.GetAsync(book.GetProperty("package").GetProperty("files")[0].GetProperty("url").GetString());
        var transcript = await app.GetAsync(book.GetProperty("chapters")[0].GetProperty("transcriptUrl").GetString());
        var wrong = await app.GetAsync($"/api/v1/audiobooks/{id}/feed.xml?token=AAAAAAAAAAAAAAAAAAAAAA");
        var other = await app.GetAsync($"/api/v1/audiobooks/{Guid.NewGuid()}/feed.xml?{new Uri("http://x" + feedUrl).Query.TrimStart('?')}");
        var bare = await app.GetAsync($"/api/v1/audiobooks/{id}/feed.xml");
        var token = feedUrl[(feedUrl.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var elsewhere = await app.GetAsync($"/api/v1/audiobooks/{id}?token={token}");
        var post = await app.PostAsync($"/api/v1/audiobooks/{id}/package?token={token}", null);

        feedUrl.Should().MatchRegex($"^/api/v1/audiobooks/{id}/feed\\.xml\\?token=[A-Za-z0-9_-]{{22}}$");
        items.Should().HaveCount(3);
        enclosure.Should().Contain("token=");
        audio.StatusCode.Should().Be(HttpStatusCode.OK);
        Ffprobe.Probe(await audio.Content.ReadAsByteArrayAsync(), "mp3").Codec.Should().Be("mp3");
        m4b.StatusCode.Should().Be(HttpStatusCode.OK);
        transcript.StatusCode.Should().Be(HttpStatusCode.OK);
        await wrong.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await other.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await bare.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await elsewhere.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await post.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_rotated_feed_secret_revokes_the_old_feed_urls()
    {
        using var first = new BookBytesHost(providers: false, settings: new Dictionary<string, string?>
        {
            ["BookBytes:Host:ApiKeys:0"] = "listener-key",
            ["BookBytes:Host:FeedSecret"] = FeedSecret,
        });
        using var client = first.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "listener-key");
        var editionId = await client.UploadAsync(Epub(cover: null));
        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration", chapters = new[] { 1 } })).JsonAsync();
        var id = started.GetProperty("audioBookId").GetGuid();
        var feedUrl = (await (await client.GetAsync($"/api/v1/audiobooks/{id}")).JsonAsync()).GetProperty("feedUrl").GetString()!;
        using var rotated = new BookBytesHost(providers: false, worker: false, settings: new Dictionary<string, string?>
        {
            ["BookBytes:Host:ApiKeys:0"] = "listener-key",
            ["BookBytes:Host:FeedSecret"] = FeedSecret + "-rotated",
            ["ConnectionStrings:BookBytes"] = $"Data Source={Path.Combine(first.Root, "bookbytes.db")}",
            ["BookBytes:Storage:Local:RootPath"] = Path.Combine(first.Root, "audio"),
        });
        using var app = rotated.CreateClient();

        var refused = await app.GetAsync(feedUrl);

        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Each_chapter_has_a_webvtt_transcript_whose_cues_follow_its_words_to_the_end_of_its_audio()
    {
        var book = await NarratedAndPackagedAsync(_client, cover: null);
        var id = book.GetProperty("id").GetGuid();
        var chapter = book.GetProperty("chapters")[0];

        using var response = await _client.GetAsync(chapter.GetProperty("transcriptUrl").GetString());
        var vtt = await response.Content.ReadAsStringAsync();
        var missing = await _client.GetAsync($"/api/v1/audiobooks/{id}/chapters/9/transcript.vtt");

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/vtt");
        vtt.Should().StartWith("WEBVTT\n");
        var cues = vtt.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(c => c.Split('\n')).ToList();
        cues.Should().HaveCountGreaterThan(2, "a cue per sentence");
        var words = string.Join(' ', cues.Select(c => c[2]));
        words.Should().StartWith("The Keeper The lamp room sat at the top of ninety steps.", "the narration reads the heading, then the text");
        cues.Select(c => c[2]).Should().Contain("Mara climbed them every evening at dusk.");
        var end = cues[^1][1].Split(" --> ")[1];
        TimeSpan.ParseExact(end, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture).TotalSeconds
            .Should().BeApproximately(chapter.GetProperty("durationSeconds").GetDouble(), 0.01);
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound, "CHAPTER_NOT_FOUND");
    }

    /// <summary>Uploads the three-chapter book, narrates it, asks for its package, and waits until the packaging job has recorded it.</summary>
    private static async Task<JsonElement> NarratedAndPackagedAsync(HttpClient client, byte[]? cover)
    {
        var editionId = await client.UploadAsync(Epub(cover));
        var started = await client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration" });
        var body = await started.JsonAsync();
        started.StatusCode.Should().Be(HttpStatusCode.Accepted, body.ToString());
        var id = body.GetProperty("audioBookId").GetGuid();
        var job = await client.WaitForJobAsync(body.GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(3));
        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        var packaging = await (await client.PostJsonAsync($"/api/v1/audiobooks/{id}/package", new { })).JsonAsync();
        var packaged = await client.WaitForJobAsync(packaging.GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(3));
        packaged.GetProperty("status").GetString().Should().Be("Completed", packaged.ToString());
        return await PackagedAsync(client, id);
    }

    /// <summary>The audiobook once its package is recorded.</summary>
    private static async Task<JsonElement> PackagedAsync(HttpClient client, Guid id)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var book = await (await client.GetAsync($"/api/v1/audiobooks/{id}", deadline.Token)).JsonAsync();
            if (book.GetProperty("package").ValueKind == JsonValueKind.Object)
            {
                return book;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    private static byte[] Epub(byte[]? cover)
    {
        var files = new[] { "one.xhtml", "two.xhtml", "three.xhtml" };
        var (manifest, spine) = Items(files);
        if (cover is not null)
        {
            manifest += """<item id="cover" href="cover.png" media-type="image/png" properties="cover-image"/>""";
        }

        var builder = new Documents.Tests.Epub.EpubBuilder()
            .Standard(Package("<dc:title>The Lantern Keeper</dc:title><dc:language>en</dc:language><dc:creator>Ada Writer</dc:creator>", manifest, spine))
            .Add("OEBPS/one.xhtml", Xhtml("<h1>The Keeper</h1><p>The lamp room sat at the top of ninety steps. Mara climbed them every evening at dusk. She trimmed the wick and wiped the glass.</p>"))
            .Add("OEBPS/two.xhtml", Xhtml("<h1>The Lesson</h1><p>Her grandfather taught her to read the sky. Red clouds at evening meant a calm sea. Grey mist at noon meant fog by night.</p>"))
            .Add("OEBPS/three.xhtml", Xhtml("<h1>The Storm</h1><p>The storm came in October. The lamp burned all night long. In the morning every boat was home.</p>"));
        if (cover is not null)
        {
            builder.Add("OEBPS/cover.png", cover);
        }

        return builder.Build();
    }

    /// <summary>A small PNG made by ffmpeg.</summary>
    private static byte[] CoverPng()
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "error", "-f", "lavfi", "-i", "color=c=darkblue:s=120x120", "-frames:v", "1", "-c:v", "png", "-f", "image2pipe", "pipe:1" })
        {
            start.ArgumentList.Add(argument);
        }

        using var ffmpeg = Process.Start(start)!;
        using var png = new MemoryStream();
        ffmpeg.StandardOutput.BaseStream.CopyTo(png);
        ffmpeg.WaitForExit();
        ffmpeg.ExitCode.Should().Be(0, ffmpeg.StandardError.ReadToEnd());
        return png.ToArray();
    }

    private static JsonElement ParseFeed(string xml)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["NODE_PATH"] = Path.Combine(RepositoryRoot(), "tools", "node_modules") },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Feeds", "parse-feed.js"));
        using var node = Process.Start(start)!;
        node.StandardInput.Write(xml);
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        node.ExitCode.Should().Be(0, node.StandardError.ReadToEnd());
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BookBytes.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (BookBytes.sln) was not found.");
    }

    private sealed record ProbedChapter(string Title, double Start, double End);

    private sealed record ProbedPackage(IReadOnlyList<ProbedChapter> Chapters, string AudioCodec, bool HasCover, IReadOnlyDictionary<string, string> Tags, double Seconds);

    private static ProbedPackage ProbeFile(byte[] bytes, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bookbytes-probe-{Guid.NewGuid():N}.{extension}");
        File.WriteAllBytes(path, bytes);
        try
        {
            var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-v", "error", "-show_chapters", "-show_streams", "-show_format", "-of", "json", path })
            {
                start.ArgumentList.Add(argument);
            }

            using var ffprobe = Process.Start(start)!;
            var json = ffprobe.StandardOutput.ReadToEnd();
            ffprobe.WaitForExit();
            ffprobe.ExitCode.Should().Be(0, ffprobe.StandardError.ReadToEnd());
            var root = JsonDocument.Parse(json).RootElement;
            var chapters = root.GetProperty("chapters").EnumerateArray().Select(c => new ProbedChapter(
                c.GetProperty("tags").GetProperty("title").GetString()!,
                double.Parse(c.GetProperty("start_time").GetString()!, CultureInfo.InvariantCulture),
                double.Parse(c.GetProperty("end_time").GetString()!, CultureInfo.InvariantCulture))).ToList();
            var streams = root.GetProperty("streams").EnumerateArray().ToList();
            var audio = streams.First(s => s.GetProperty("codec_type").GetString() == "audio");
            var cover = streams.Any(s => s.GetProperty("codec_type").GetString() == "video" && s.GetProperty("disposition").GetProperty("attached_pic").GetInt32() == 1);
            var format = root.GetProperty("format");
            var tags = format.TryGetProperty("tags", out var t)
                ? t.EnumerateObject().ToDictionary(p => p.Name.ToLowerInvariant(), p => p.Value.GetString()!)
                : [];
            return new ProbedPackage(chapters, audio.GetProperty("codec_name").GetString()!, cover, tags, double.Parse(format.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
