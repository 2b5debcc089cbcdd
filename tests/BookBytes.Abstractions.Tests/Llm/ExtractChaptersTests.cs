using BookBytes.Books;
using BookBytes.Llm;

namespace BookBytes.Abstractions.Tests.Llm;

public class ExtractChaptersTests
{
    private sealed class RecordingProvider(BookOutline outline) : ILlmProvider
    {
        public int OutlineCalls;
        public List<int> Summarized { get; } = [];

        public Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref OutlineCalls);
            return Task.FromResult(outline);
        }

        public async Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
        {
            // Later chapters finish first, so order must come from the headings, not completion.
            await Task.Delay(10 * (5 - chapter.Number), cancellationToken);
            lock (Summarized)
            {
                Summarized.Add(chapter.Number);
            }

            return new ChapterSummary($"Summary of {chapter.Title}", new LlmUsage(10, 100));
        }
    }

    private static readonly BookContext Book = new("Deep Work", ["Cal Newport"], "en");

    [Fact]
    public async Task Composes_outline_and_one_summary_per_chapter_in_order()
    {
        var provider = new RecordingProvider(new BookOutline(true, [new(1, "One"), new(2, "Two"), new(3, "Three")], new LlmUsage(5, 50)));

        var result = await provider.ExtractChaptersAsync(Book);

        result.Chapters.Should().Equal(
            new ChapterInfo(1, "One", "Summary of One"),
            new ChapterInfo(2, "Two", "Summary of Two"),
            new ChapterInfo(3, "Three", "Summary of Three"));
        result.Usage.Should().Be(new LlmUsage(35, 350));
        provider.OutlineCalls.Should().Be(1);
    }

    [Fact]
    public async Task Known_chapter_titles_skip_the_outline_call()
    {
        var provider = new RecordingProvider(new BookOutline(true, [], default));

        var result = await provider.ExtractChaptersAsync(Book with { KnownChapterTitles = ["A", "B"] });

        provider.OutlineCalls.Should().Be(0);
        result.Chapters.Select(c => c.Title).Should().Equal("A", "B");
    }

    [Fact]
    public async Task An_unknown_book_throws_book_not_known()
    {
        var provider = new RecordingProvider(new BookOutline(false, [], default));

        var act = () => provider.ExtractChaptersAsync(Book);

        (await act.Should().ThrowAsync<BookNotKnownException>()).Which.IsTransient.Should().BeFalse();
        provider.Summarized.Should().BeEmpty();
    }
}
