using BookBytes.Books;

namespace BookBytes.Llm;

/// <summary>Conveniences composed from the two <see cref="ILlmProvider"/> calls.</summary>
public static class LlmProviderExtensions
{
    /// <summary>
    /// Lists a book's chapters (or takes <see cref="BookContext.KnownChapterTitles"/> when given) and
    /// summarises every chapter, up to <paramref name="maxConcurrency"/> summaries at once.
    /// </summary>
    /// <param name="provider">The provider.</param>
    /// <param name="book">The book.</param>
    /// <param name="maxConcurrency">How many summary calls may run at once.</param>
    /// <param name="cancellationToken">A token that cancels every call.</param>
    /// <returns>The chapters in order with their summaries and the summed usage.</returns>
    /// <exception cref="BookNotKnownException">The model does not know the book.</exception>
    /// <exception cref="ProviderException">A call failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<ChapterExtraction> ExtractChaptersAsync(
        this ILlmProvider provider,
        BookContext book,
        int maxConcurrency = 4,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);

        IReadOnlyList<ChapterHeading> headings;
        var usage = LlmUsage.Zero;
        if (book.KnownChapterTitles is { Count: > 0 } titles)
        {
            headings = [.. titles.Select((title, i) => new ChapterHeading(i + 1, title))];
        }
        else
        {
            var outline = await provider.OutlineAsync(book, cancellationToken).ConfigureAwait(false);
            if (!outline.Known || outline.Chapters.Count == 0)
            {
                throw new BookNotKnownException(book.Title);
            }

            headings = outline.Chapters;
            usage += outline.Usage;
        }

        var summaries = new ChapterSummary[headings.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, headings.Count),
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => summaries[i] = await provider.SummarizeChapterAsync(book, headings[i], ct).ConfigureAwait(false))
            .ConfigureAwait(false);

        var chapters = new ChapterInfo[headings.Count];
        for (var i = 0; i < headings.Count; i++)
        {
            chapters[i] = new ChapterInfo(headings[i].Number, headings[i].Title, summaries[i].Text);
            usage += summaries[i].Usage;
        }

        return new ChapterExtraction(chapters, usage);
    }
}
