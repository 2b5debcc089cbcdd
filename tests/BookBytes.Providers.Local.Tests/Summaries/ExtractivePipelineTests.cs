using System.Text;
using BookBytes.AudioBooks;
using BookBytes.Documents;
using BookBytes.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.Providers.Local.Summaries;
using BookBytes.Storage.Local;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BookBytes.Providers.Local.Tests.Summaries;

/// <summary>The whole pipeline with extractive summaries: an uploaded document, summarised offline, spoken by a fake.</summary>
public sealed class ExtractivePipelineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bookbytes-extractive-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static readonly string[] Harbour =
    [
        "The harbour town woke early, and the fishing boats left the harbour before the sun rose over the grey sea.",
        "Gulls followed the boats.",
        "By noon the fishermen brought their catch back to the harbour, where the market waited for the fresh fish.",
        "A painter sat on the wall.",
        "In the market the fish were sold to cooks from the town, and the boats were tied up in the quiet harbour again.",
        "Nobody remembered the old lighthouse keeper's name.",
        "The sea was calm that week.",
        "Children ran along the harbour wall.",
        "When storms came, the boats stayed in the harbour and the town waited for the sea to calm.",
        "The church bell rang at six.",
        "Fish soup was the town's pride.",
        "Every evening the fishermen mended their nets by the boats.",
    ];

    private static BookDocument Document() => new()
    {
        Title = "The Harbour Town",
        Authors = ["A. Writer"],
        Language = "en",
        Chapters =
        [
            new DocumentChapter(1, "Morning", 0, ChapterKind.Body, [string.Join(' ', Harbour[..4]), string.Join(' ', Harbour[4..8]), string.Join(' ', Harbour[8..])]),
            new DocumentChapter(2, "Evening", 0, ChapterKind.Body, [string.Join(' ', BeeText.Paragraphs[0]), string.Join(' ', BeeText.Paragraphs[1]), string.Join(' ', BeeText.Paragraphs[2]), string.Join(' ', BeeText.Paragraphs[3])]),
        ],
    };

    [Fact]
    public async Task An_uploaded_document_is_summarised_offline_into_sentences_of_each_chapter()
    {
        var document = Document();
        var services = new ServiceCollection();
        services.AddBookBytes(o =>
            {
                PipelineRun.Fast(o);
                o.Summary.Words = 60;
            })
            .AddExtractiveSummaries()
            .AddLocalStorage(o => o.RootPath = _root);
        var tts = new FakeTtsProvider();
        services.AddSingleton<ITtsProvider>(tts);
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<IHostedService>();
        await runner.StartAsync(CancellationToken.None);
        var processing = provider.GetRequiredService<ProcessingService>();
        var markdown = "# Morning\n\n" + string.Join("\n\n", document.Chapters[0].Paragraphs) + "\n\n# Evening\n\n" + string.Join("\n\n", document.Chapters[1].Paragraphs);
        var edition = (await processing.AddDocumentAsync(Encoding.UTF8.GetBytes(markdown), "text/markdown", document)).Edition;

        var started = await processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Summary });
        JobDetails? last = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var details in processing.WatchJobAsync(started.Job.Id, TimeSpan.FromMilliseconds(20)).WithCancellation(deadline.Token))
        {
            last = details;
        }

        await runner.StopAsync(CancellationToken.None);
        var book = (await processing.GetAudioBookAsync(started.AudioBook.Id))!;

        last!.Job.Status.Should().Be(JobStatus.Completed, last.Job.ErrorMessage);
        book.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        book.AudioBook.Grounding.Should().Be(AudioBookGrounding.Text);
        book.Chapters.Select(c => c.Number).Should().Equal(1, 2);
        foreach (var chapter in book.Chapters)
        {
            var source = document.Chapters.Single(c => c.Number == chapter.Number);
            var sentences = SentenceSplitter.Split(string.Join("\n\n", source.Paragraphs)).Select(s => s.Text).ToList();
            var summary = SentenceSplitter.Split(chapter.Summary!).Select(s => s.Text).ToList();
            summary.Should().NotBeEmpty().And.BeSubsetOf(sentences, "an extractive summary is made of the chapter's own sentences");
            summary.Select(s => sentences.IndexOf(s)).Should().BeInAscendingOrder("in the chapter's order");
            summary.Count.Should().BeLessThan(sentences.Count);
            ExtractiveSummarizer.CountWords(chapter.Summary!).Should().BeInRange(25, 60);
            chapter.Usage.Llm.TotalTokens.Should().Be(0, "no tokens are bought");
        }

        book.Chapters.Single(c => c.Number == 2).Summary.Should().Contain(BeeText.CentralSecond, "the most central sentence is in the summary");
        tts.Calls.Should().BeGreaterThan(0);
    }
}
