using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;

namespace BookBytes.Internal;

/// <summary>
/// A provider package's language model: the Microsoft.Extensions.AI <see cref="ChatClientLlmProvider"/> (prompts,
/// schemas, answer checks) over the package's own chat client. Each package derives a sealed type of its own, which
/// marks the <see cref="ILlmProvider"/> slot as the package's, so its settings are validated only while it holds it.
/// </summary>
/// <param name="inner">The provider over the package's chat client.</param>
/// <remarks>Compiled into each chat provider package (adapters do not depend on each other).</remarks>
internal abstract class ChatLlmSlot(ChatClientLlmProvider inner) : ILlmProvider
{
    public Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
        => inner.OutlineAsync(book, cancellationToken);

    public Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
        => inner.SummarizeChapterAsync(book, chapter, cancellationToken);
}
