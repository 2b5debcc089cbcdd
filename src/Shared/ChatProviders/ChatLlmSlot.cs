using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;

namespace BookBytes.Internal;

/// <summary>
/// A provider package's language model: the Microsoft.Extensions.AI <see cref="ChatClientLlmProvider"/> (prompts,
/// schemas, answer checks) over the package's own chat client. Each package derives a sealed type of its own, which
/// marks the <see cref="ILlmProvider"/> slot as the package's, so its settings are validated only while it holds it.
/// </summary>
/// <param name="inner">The provider over the package's chat client.</param>
/// <remarks>
/// Compiled into each chat provider package (adapters do not depend on each other). Every member of
/// <see cref="ILlmProvider"/> is forwarded here, those with default implementations too: a member left out would
/// silently fall back to the interface's default (a refusal, an estimate, no model) instead of the inner provider's.
/// </remarks>
internal abstract class ChatLlmSlot(ChatClientLlmProvider inner) : ILlmProvider
{
    public string? ModelId => inner.ModelId;

    public Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
        => inner.OutlineAsync(book, cancellationToken);

    public Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
        => inner.SummarizeChapterAsync(book, chapter, cancellationToken);

    public Task<ChapterSummary> SummarizeTextAsync(BookContext book, TextSummaryRequest request, CancellationToken cancellationToken = default)
        => inner.SummarizeTextAsync(book, request, cancellationToken);

    public Task<ChapterSummary> StreamChapterSummaryAsync(BookContext book, ChapterHeading chapter, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken = default)
        => inner.StreamChapterSummaryAsync(book, chapter, onText, cancellationToken);

    public Task<ChapterSummary> StreamTextSummaryAsync(BookContext book, TextSummaryRequest request, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken = default)
        => inner.StreamTextSummaryAsync(book, request, onText, cancellationToken);

    /// <summary>Counts tokens as the inner provider does (an estimate); a package that knows its model's tokenizer counts exactly.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens.</returns>
    public virtual int CountTokens(string text) => inner.CountTokens(text);
}
