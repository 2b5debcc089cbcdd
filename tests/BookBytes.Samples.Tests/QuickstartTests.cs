using BookBytes.Testing.Audio;
using BookBytes.WebHost.Tests;

namespace BookBytes.Samples.Tests;

/// <summary>
/// The README's quickstart, run twice in one folder as a newcomer would: the second run finds the audiobook the first made
/// (the SQLite store persists) and writes its chapters again instead of crashing on <c>AUDIOBOOK_EXISTS</c>.
/// </summary>
public sealed class QuickstartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bookbytes-quickstart-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Offline_the_sample_book_becomes_one_mp3_per_chapter_and_a_second_run_reuses_the_audiobook()
    {
        var book = Path.Combine(Quickstart.RepositoryRoot, "samples", "WebHost", "wwwroot", "sample", "the-lantern-at-gull-point.md");
        var offline = new Dictionary<string, string>();

        var first = await Quickstart.RunAsync(_directory, offline, "--book", book, "--out", "first");
        var second = await Quickstart.RunAsync(_directory, offline, "--book", book, "--out", "second");

        first.ExitCode.Should().Be(0, first.ToString());
        first.Output.Should().Contain("Started audiobook").And.Contain("The Lantern at Gull Point: Completed, 3 chapters");
        second.ExitCode.Should().Be(0, second.ToString());
        second.Output.Should().Contain("Using existing audiobook").And.NotContain("Started audiobook");
        var chapters = ChapterFiles("first");
        chapters.Select(Path.GetFileName).Should().Equal("chapter-001.mp3", "chapter-002.mp3", "chapter-003.mp3");
        foreach (var chapter in chapters)
        {
            var audio = Ffprobe.Probe(await File.ReadAllBytesAsync(chapter), "mp3");
            audio.Codec.Should().Be("mp3");
            audio.Seconds.Should().BeGreaterThan(10, "a chapter's summary is spoken");
        }

        ChapterFiles("second").Select(File.ReadAllBytes).Should().BeEquivalentTo(chapters.Select(File.ReadAllBytes), o => o.WithStrictOrdering(),
            "the second run reads the same stored audio");
    }

    [Fact]
    public async Task With_an_openai_compatible_endpoint_an_isbn_becomes_chapter_mp3s_and_a_second_run_buys_nothing_again()
    {
        using var openAi = new FakeOpenAi();
        using var catalog = new FakeOpenLibrary();
        var settings = new Dictionary<string, string>
        {
            ["BookBytes__OpenAI__Endpoint"] = openAi.Url + "/v1",
            ["BookBytes__OpenAI__ApiKey"] = FakeOpenAi.ApiKey,
            ["BookBytes__OpenAI__MaxRetries"] = "0",
            ["BookBytes__Catalog__OpenLibrary__BaseUrl"] = catalog.Url,
            ["BookBytes__Summary__Words"] = "50",
        };

        var first = await Quickstart.RunAsync(_directory, settings, "--book", FakeOpenLibrary.FantasticMrFox);
        var modelCalls = openAi.Server.LogEntries.Count;
        var second = await Quickstart.RunAsync(_directory, settings, "--book", FakeOpenLibrary.FantasticMrFox);

        first.ExitCode.Should().Be(0, first.ToString());
        second.ExitCode.Should().Be(0, second.ToString());
        second.Output.Should().Contain("Using existing audiobook");
        openAi.Requests(FakeOpenAi.SpeechPath).Should().NotBeEmpty();
        openAi.Server.LogEntries.Should().HaveCount(modelCalls, "the second run reads what the first stored");
        var chapters = ChapterFiles("audiobook");
        chapters.Should().NotBeEmpty();
        foreach (var chapter in chapters)
        {
            Ffprobe.Probe(await File.ReadAllBytesAsync(chapter), "mp3").Codec.Should().Be("mp3");
        }
    }

    private string[] ChapterFiles(string folder)
        => [.. Directory.GetFiles(Path.Combine(_directory, folder)).Order(StringComparer.Ordinal)];
}
