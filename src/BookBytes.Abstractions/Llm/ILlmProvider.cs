namespace BookBytes.Llm;

/// <summary>
/// A large language model that knows books: it lists a book's chapters and summarises one chapter
/// at a time, from what it knows of the book or from the chapter's text.
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

    /// <summary>
    /// Asks for a spoken-style summary of text from the book — a chapter, a part of one, or the summaries of its parts to
    /// combine — about <see cref="TextSummaryRequest.Words"/> words long, saying only what the text says.
    /// </summary>
    /// <remarks>
    /// Providers written before grounded summaries existed do not override it; the default refuses with a
    /// <see cref="ProviderConfigurationException"/>, which fails the job without retries.
    /// </remarks>
    /// <param name="book">The book.</param>
    /// <param name="request">The text and what it is.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The summary as plain paragraphs, with the tokens used.</returns>
    /// <exception cref="ProviderException">The call failed; see <see cref="BookBytesException.IsTransient"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ChapterSummary> SummarizeTextAsync(BookContext book, TextSummaryRequest request, CancellationToken cancellationToken = default)
        => throw new ProviderConfigurationException($"The language model provider {GetType().Name} does not summarise from a book's text; use one that does (BookBytes.Providers.ExtensionsAI and the providers on it), or narrate the book.");

    /// <summary>
    /// <see cref="SummarizeChapterAsync"/>, giving the summary's text to <paramref name="onText"/> piece by piece as the
    /// model writes it, so speech can start before the whole summary exists.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The pieces, in order and joined, are the answer's text (or there are none: see below); the returned summary is that text with its paragraphs
    /// normalised (trimmed, runs of blank lines made one), and it is checked only at the end: when the call throws after
    /// giving text, that text is not the summary and what was made of it must be discarded. <paramref name="onText"/> is
    /// called from one thread at a time and awaited before the next piece is read.
    /// </para>
    /// <para>
    /// Providers that cannot stream do not override it; the default asks <see cref="SummarizeChapterAsync"/> and gives no
    /// piece: the caller has the text only in the returned summary, as if it had not asked for it streamed.
    /// </para>
    /// </remarks>
    /// <param name="book">The book.</param>
    /// <param name="chapter">The chapter to summarise.</param>
    /// <param name="onText">Receives each piece of text as it arrives, with the call's token.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The summary as plain paragraphs, with the tokens used.</returns>
    /// <exception cref="ProviderException">The call failed; see <see cref="BookBytesException.IsTransient"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    async Task<ChapterSummary> StreamChapterSummaryAsync(BookContext book, ChapterHeading chapter, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onText);
        return await SummarizeChapterAsync(book, chapter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="SummarizeTextAsync"/>, giving the summary's text to <paramref name="onText"/> piece by piece as the
    /// model writes it; the same rules as <see cref="StreamChapterSummaryAsync"/>.
    /// </summary>
    /// <remarks>Providers that cannot stream do not override it; the default asks <see cref="SummarizeTextAsync"/> and gives no piece.</remarks>
    /// <param name="book">The book.</param>
    /// <param name="request">The text and what it is.</param>
    /// <param name="onText">Receives each piece of text as it arrives, with the call's token.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The summary as plain paragraphs, with the tokens used.</returns>
    /// <exception cref="ProviderException">The call failed; see <see cref="BookBytesException.IsTransient"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    async Task<ChapterSummary> StreamTextSummaryAsync(BookContext book, TextSummaryRequest request, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onText);
        return await SummarizeTextAsync(book, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Counts the tokens the model reads for <paramref name="text"/>, to cut long chapters to the input budget and to
    /// estimate a book's cost. Providers that know their tokenizer count exactly; the default estimates
    /// (the larger of a quarter of the characters and four thirds of the words).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens.</returns>
    int CountTokens(string text) => LlmTokens.Estimate(text);

    /// <summary>Gets the model's name, for the price table of estimates; <see langword="null"/> when the provider does not say.</summary>
    string? ModelId => null;

    /// <summary>
    /// Gets whether the provider summarises only from a book's text (an extractive summariser, for example): it cannot
    /// outline or summarise a book known only by its catalog entry, so processing such a book is refused before any job
    /// starts. The default is <see langword="false"/>: a language model that knows books.
    /// </summary>
    bool RequiresText => false;
}
