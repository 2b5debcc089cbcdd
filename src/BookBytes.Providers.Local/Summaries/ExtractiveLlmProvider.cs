using BookBytes.Llm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BookBytes.Providers.Local.Summaries;

/// <summary>
/// A summariser without a language model: an extractive summary of a book's own text, its most central sentences
/// chosen by TextRank (Mihalcea and Tarau, 2004) and spoken in their original order. Offline, free and deterministic —
/// the same text gives the same summary.
/// </summary>
/// <remarks>
/// <para>
/// Sentences are compared by the cosine similarity of their TF-IDF vectors (lower-cased words, the stop words of the
/// book's <see cref="BookContext.Language"/> left out — English, German, French, Spanish, Italian, Portuguese and Dutch;
/// any other language is summarised with every word a term), ranked by PageRank with damping 0.85, and taken best first
/// while they fit <see cref="TextSummaryRequest.Words"/>: a sentence that would exceed it is skipped and shorter ones are
/// still tried, so the summary never has more words than asked; when the sentences left are all too long to keep it at
/// half its target or more, the best of them is cut at a word boundary and ends with an ellipsis, so it always has at
/// least one sentence and, from a text long enough, at least half the words asked. Chosen sentences of one paragraph are joined with a space,
/// paragraphs are separated by a blank line. Ties go to the earlier sentence. Markdown heading, list and emphasis
/// markers are left out of the sentences (they mean nothing aloud), and a sentence without a letter is never chosen. Every <see cref="SummaryScope"/> is
/// summarised the same way; for <see cref="SummaryScope.Combination"/> the part summaries are ranked again.
/// </para>
/// <para>
/// Work is bounded: at most 2,000 sentences are ranked per call (more are sampled evenly across the text) and a
/// sentence is at most 1,500 characters (a longer run is cut at white space). The ranking runs on the thread pool, so
/// parts of a chapter are summarised in parallel, and the cancellation token is checked throughout.
/// </para>
/// <para>
/// No tokens are bought: <see cref="ChapterSummary.Usage"/> is always <see cref="LlmUsage.Zero"/>, so a book's cost is
/// its speech alone. <see cref="ILlmProvider.CountTokens"/> keeps the default estimate, which only decides how the pipeline cuts a
/// long chapter into parts. The provider is thread-safe.
/// </para>
/// </remarks>
public sealed partial class ExtractiveLlmProvider : ILlmProvider
{
    /// <summary>The <see cref="ModelId"/> of this provider, for the price table and the job's record.</summary>
    public const string Model = "extractive-textrank";

    private const string TextRequired = "An offline summary needs the book's text: upload the book's file, or configure a language model.";

    private readonly ILogger _logger;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="logger">Where each call's figures are logged at Debug level, or <see langword="null"/> for nowhere.</param>
    public ExtractiveLlmProvider(ILogger<ExtractiveLlmProvider>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets <see cref="Model"/>.</summary>
    public string? ModelId => Model;

    /// <summary>Gets <see langword="true"/>: a book known only by its catalog entry has no text to choose sentences from.</summary>
    public bool RequiresText => true;

    /// <summary>Refuses: an extractive summariser knows no book it has not been given the text of.</summary>
    /// <param name="book">The book.</param>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>A task that fails with <see cref="ProviderConfigurationException"/>.</returns>
    /// <exception cref="ProviderConfigurationException">Always (not transient): the book's text is needed.</exception>
    public Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
        => Task.FromException<BookOutline>(new ProviderConfigurationException(TextRequired));

    /// <summary>Refuses: an extractive summariser cannot summarise a chapter it has not been given the text of.</summary>
    /// <param name="book">The book.</param>
    /// <param name="chapter">The chapter.</param>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>A task that fails with <see cref="ProviderConfigurationException"/>.</returns>
    /// <exception cref="ProviderConfigurationException">Always (not transient): the book's text is needed.</exception>
    public Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
        => Task.FromException<ChapterSummary>(new ProviderConfigurationException(TextRequired));

    /// <summary>
    /// Summarises <see cref="TextSummaryRequest.Text"/> by choosing its most central sentences, at most
    /// <see cref="TextSummaryRequest.Words"/> words in all, in their original order.
    /// </summary>
    /// <param name="book">The book; its <see cref="BookContext.Language"/> chooses the stop words.</param>
    /// <param name="request">The text and its target length.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>
    /// The summary as plain paragraphs separated by blank lines (empty when the text has no words), with
    /// <see cref="LlmUsage.Zero"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="book"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TextSummaryRequest.Words"/> is less than 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ChapterSummary> SummarizeTextAsync(BookContext book, TextSummaryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Text, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Words, 1, nameof(request));

        var result = await Task.Run(() => ExtractiveSummarizer.Summarize(request.Text, book.Language, request.Words, cancellationToken), cancellationToken).ConfigureAwait(false);
        LogSummary(_logger, request.Chapter.Number, request.Scope, result.Sentences, result.Ranked, result.Chosen, result.Words, request.Words);
        return new ChapterSummary(result.Text, LlmUsage.Zero);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Extractive summary of chapter {ChapterNumber} ({Scope}): {Sentences} sentences, {Ranked} ranked, {Chosen} chosen, {Words} of {TargetWords} words")]
    private static partial void LogSummary(ILogger logger, int chapterNumber, SummaryScope scope, int sentences, int ranked, int chosen, int words, int targetWords);
}
