using System.Text;
using BookBytes.AudioBooks;
using BookBytes.Documents;
using BookBytes.Jobs;
using BookBytes.Pipeline.Processing;

namespace BookBytes.Pipeline.Tests.Processing;

/// <summary>
/// Issue 16: a summariser that needs the book's text (<c>ILlmProvider.RequiresText</c>) and speech whose voices each speak
/// one language (<c>ITtsProvider.VoiceFor</c>).
/// </summary>
public sealed class TextOnlySummariserTests
{
    private static BookDocument Document(string language) => new()
    {
        Title = "Plain Pages",
        Authors = ["A. Writer"],
        Language = language,
        Chapters =
        [
            new DocumentChapter(1, "One", 0, ChapterKind.Body, ["The first chapter says one plain thing in a few words."]),
            new DocumentChapter(2, "Two", 0, ChapterKind.Body, ["The second chapter says another plain thing in a few words."]),
        ],
    };

    [Fact]
    public async Task A_catalog_edition_summary_is_refused_before_the_catalog_is_asked_when_the_summariser_needs_text()
    {
        await using var node = await new PipelineHarness().StartAsync();
        node.Llm.TextOnly = true;
        var isbn = node.Catalog.Add("9780306406157", "Known Only By Its Number");

        var act = () => node.Processing.StartProcessingAsync(isbn, new AudioBookRequest());

        (await act.Should().ThrowAsync<ProviderNotConfiguredException>()).Which.Message.Should().Contain("upload the book's file");
        node.Catalog.Lookups.Should().Be(0);
        (await node.Processing.ListAudioBooksAsync()).Total.Should().Be(0, "nothing is created for a book that cannot be made");
    }

    [Fact]
    public async Task A_document_edition_is_summarised_from_its_text_by_a_summariser_that_needs_text()
    {
        await using var node = await new PipelineHarness().StartAsync();
        node.Llm.TextOnly = true;
        var edition = (await node.Processing.AddDocumentAsync(Encoding.UTF8.GetBytes("plain pages"), "text/plain", Document("en"))).Edition;

        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { SummaryWords = 50 });
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        started.AudioBook.Grounding.Should().Be(AudioBookGrounding.Text);
    }

    [Fact]
    public async Task A_request_without_a_voice_gets_the_providers_voice_for_the_books_language_and_a_named_voice_wins()
    {
        await using var node = await new PipelineHarness().StartAsync();
        node.Tts.LanguageVoices["de"] = "nova";
        var german = (await node.Processing.AddDocumentAsync(Encoding.UTF8.GetBytes("deutsch"), "text/plain", Document("de"))).Edition;
        var english = (await node.Processing.AddDocumentAsync(Encoding.UTF8.GetBytes("english"), "text/plain", Document("en"))).Edition;

        var byLanguage = await node.Processing.StartProcessingAsync(german.Id, new AudioBookRequest { Mode = AudioBookMode.Narration });
        var named = await node.Processing.StartProcessingAsync(german.Id, new AudioBookRequest { Voice = "alloy" });
        var fallback = await node.Processing.StartProcessingAsync(english.Id, new AudioBookRequest { Mode = AudioBookMode.Narration });
        var job = await node.WaitForJobAsync(byLanguage.Job.Id);

        byLanguage.AudioBook.Voice.Should().Be("nova");
        named.AudioBook.Voice.Should().Be("alloy");
        fallback.AudioBook.Voice.Should().Be("alloy", "a language the provider has no voice for takes its default voice");
        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Tts.Requests.Where(r => r.Text.Contains("first chapter", StringComparison.Ordinal)).Select(r => r.Voice).Should().Contain("nova");
    }
}
