using System.Collections.Concurrent;
using System.Text;
using BookBytes.Llm;

namespace BookBytes.Testing.Fakes;

/// <summary>
/// A language-model double: an outline of <see cref="ChapterCount"/> chapters and summaries of about
/// <see cref="BookContext.SummaryWords"/> words that name their chapter (<c>[chapter N]</c>), so
/// speech calls can be counted per chapter. Hooks inject delays, bad answers and failures.
/// </summary>
public sealed class FakeLlmProvider : ILlmProvider
{
    private int _outlineCalls;

    /// <summary>Gets or sets the model name the double reports (<c>ModelId</c>); <see langword="null"/> by default.</summary>
    public string? ModelName { get; set; }

    /// <inheritdoc/>
    public string? ModelId => ModelName;

    /// <summary>Gets or sets whether the fake summarises only from a book's text, as an extractive summariser does.</summary>
    public bool TextOnly { get; set; }

    /// <inheritdoc/>
    public bool RequiresText => TextOnly;

    /// <summary>Gets or sets how many chapters the outline lists.</summary>
    public int ChapterCount { get; set; } = 3;

    /// <summary>Gets or sets a replacement outline for a 1-based call number; <see langword="null"/> for the normal one.</summary>
    public Func<int, BookOutline?>? OutlineOverride { get; set; }

    /// <summary>Gets or sets a hook run before each summary with the chapter and its 1-based call number for that chapter; it may throw, wait, or return a replacement text.</summary>
    public Func<ChapterHeading, int, CancellationToken, Task<string?>>? SummaryBehavior { get; set; }

    /// <summary>Gets or sets a hook run before each grounded summary with the request and its 1-based call number for that chapter, scope and part; it may throw, wait, or return a replacement text.</summary>
    public Func<TextSummaryRequest, int, CancellationToken, Task<string?>>? TextSummaryBehavior { get; set; }

    /// <summary>Gets the grounded summary requests, in call order.</summary>
    public ConcurrentQueue<TextSummaryRequest> TextRequests { get; } = new();

    /// <summary>Gets grounded summary calls per chapter, scope and part.</summary>
    public ConcurrentDictionary<(int Chapter, SummaryScope Scope, int Part), int> TextCalls { get; } = new();

    /// <summary>Gets the number of outline calls.</summary>
    public int OutlineCalls => Volatile.Read(ref _outlineCalls);

    /// <summary>Gets summary calls per chapter number.</summary>
    public ConcurrentDictionary<int, int> SummaryCalls { get; } = new();

    /// <summary>Gets the books seen, in call order.</summary>
    public ConcurrentQueue<BookContext> Books { get; } = new();

    /// <summary>Gets the total number of summary calls.</summary>
    public int TotalSummaryCalls => SummaryCalls.Values.Sum();

    /// <summary>
    /// Gets or sets how many characters each piece of a streamed summary has (<see cref="StreamChapterSummaryAsync"/>,
    /// <see cref="StreamTextSummaryAsync"/>); 0, the default, gives no piece, as a provider that cannot stream does.
    /// </summary>
    public int StreamPieceCharacters { get; set; }

    /// <summary>Gets or sets what happens before each streamed piece is given (chapter, call, piece index from 0, token): a delay, a gate, a failure.</summary>
    public Func<int, int, int, CancellationToken, Task>? PieceBehavior { get; set; }

    /// <summary>The marker every summary of a chapter contains.</summary>
    public static string Marker(int chapter) => $"[chapter {chapter}]";

    /// <summary>Builds a summary of about <paramref name="words"/> words for a chapter.</summary>
    public static string SummaryText(int chapter, string title, int words)
    {
        var text = new StringBuilder();
        text.Append(Marker(chapter)).Append(' ').Append(title).Append(". ");
        var count = 2 + title.Split(' ').Length;
        var sentence = 0;
        while (count < words)
        {
            text.Append("This is sentence ").Append(++sentence).Append(" of the chapter, spoken slowly and clearly. ");
            count += 10;
            if (sentence % 8 == 0)
            {
                text.Append("\n\n");
            }
        }

        return text.ToString().Trim();
    }

    /// <inheritdoc/>
    public Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(book);
        Books.Enqueue(book);
        var call = Interlocked.Increment(ref _outlineCalls);
        var outline = OutlineOverride?.Invoke(call)
            ?? new BookOutline(true, [.. Enumerable.Range(1, ChapterCount).Select(n => new ChapterHeading(n, $"Chapter title {n}"))], new LlmUsage(100, 50));
        return Task.FromResult(outline);
    }

    /// <inheritdoc/>
    public async Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(chapter);
        var call = SummaryCalls.AddOrUpdate(chapter.Number, 1, (_, n) => n + 1);
        string? replacement = null;
        if (SummaryBehavior is not null)
        {
            replacement = await SummaryBehavior(chapter, call, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ChapterSummary(replacement ?? SummaryText(chapter.Number, chapter.Title, book.SummaryWords), new LlmUsage(200, 700));
    }

    /// <inheritdoc/>
    public async Task<ChapterSummary> SummarizeTextAsync(BookContext book, TextSummaryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(request);
        TextRequests.Enqueue(request);
        var call = TextCalls.AddOrUpdate((request.Chapter.Number, request.Scope, request.Part), 1, (_, n) => n + 1);
        string? replacement = null;
        if (TextSummaryBehavior is not null)
        {
            replacement = await TextSummaryBehavior(request, call, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var title = request.Scope == SummaryScope.Part ? $"{request.Chapter.Title} part {request.Part}" : request.Chapter.Title;
        var text = replacement ?? SummaryText(request.Chapter.Number, title, request.Words);

        // Tokens about as a model counts them: the text read with the prompt's own, and about four thirds of a token a word written.
        return new ChapterSummary(text, new LlmUsage(LlmTokens.Estimate(request.Text) + 300, (long)Math.Ceiling(Documents.DocumentText.CountWords([text]) * 4 / 3.0)));
    }

    /// <inheritdoc/>
    public async Task<ChapterSummary> StreamChapterSummaryAsync(BookContext book, ChapterHeading chapter, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onText);
        var summary = await SummarizeChapterAsync(book, chapter, cancellationToken);
        await StreamAsync(chapter.Number, SummaryCalls[chapter.Number], summary.Text, onText, cancellationToken);
        return summary;
    }

    /// <inheritdoc/>
    public async Task<ChapterSummary> StreamTextSummaryAsync(BookContext book, TextSummaryRequest request, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onText);
        var summary = await SummarizeTextAsync(book, request, cancellationToken);
        await StreamAsync(request.Chapter.Number, TextCalls[(request.Chapter.Number, request.Scope, request.Part)], summary.Text, onText, cancellationToken);
        return summary;
    }

    private async Task StreamAsync(int chapter, int call, string text, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken)
    {
        var size = StreamPieceCharacters;
        for (int at = 0, piece = 0; size > 0 && at < text.Length; at += size, piece++)
        {
            if (PieceBehavior is not null)
            {
                await PieceBehavior(chapter, call, piece, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            await onText(text.Substring(at, Math.Min(size, text.Length - at)), cancellationToken);
        }
    }
}
