namespace BookBytes.Llm;

/// <summary>
/// A large language model that knows books: it lists a book's chapters and summarises one chapter
/// at a time.
/// </summary>
/// <remarks>
/// Two small calls rather than one large one: per-chapter summaries run in parallel, retry alone and
/// let audio start before the whole book is written. <see cref="LlmProviderExtensions.ExtractChaptersAsync"/>
/// composes both. Implementations must be safe to call from many threads at once.
/// </remarks>
public interface ILlmProvider
{
    /// <summary>Asks for the book's real chapters, in order.</summary>
    /// <param name="book">The book.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The outline; <see cref="BookOutline.Known"/> is <see langword="false"/> when the model does not know the book.</returns>
    /// <exception cref="ProviderException">The call failed; see <see cref="BookBytesException.IsTransient"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default);

    /// <summary>Asks for a spoken-style summary of one chapter, about <see cref="BookContext.SummaryWords"/> words long.</summary>
    /// <param name="book">The book.</param>
    /// <param name="chapter">The chapter to summarise.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The summary as plain paragraphs, with the tokens used.</returns>
    /// <exception cref="ProviderException">The call failed; see <see cref="BookBytesException.IsTransient"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default);
}
