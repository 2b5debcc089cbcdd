using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;

namespace BookBytes.Providers.Ollama.Chat;

/// <summary>
/// The Ollama language-model provider: the Microsoft.Extensions.AI <see cref="ChatClientLlmProvider"/> (the
/// prompts, the JSON schemas, the answer checks) over OllamaSharp's client (<see cref="OllamaChatClient"/>).
/// Its own type marks the <see cref="ILlmProvider"/> slot as Ollama's, so <c>BookBytes:Ollama</c> is
/// validated only while it holds the slot.
/// </summary>
/// <param name="inner">The provider over the Ollama chat client.</param>
internal sealed class OllamaLlmProvider(ChatClientLlmProvider inner) : ILlmProvider
{
    public Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
        => inner.OutlineAsync(book, cancellationToken);

    public Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
        => inner.SummarizeChapterAsync(book, chapter, cancellationToken);
}
