using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;

namespace BookBytes.Providers.Anthropic.Chat;

/// <summary>
/// The Anthropic language-model provider: the Microsoft.Extensions.AI <see cref="ChatClientLlmProvider"/> (the
/// prompts, the JSON schemas, the answer checks) over the Anthropic SDK's chat client
/// (<see cref="AnthropicChatClient"/>). Its own type marks the <see cref="ILlmProvider"/> slot as Anthropic's, so
/// <c>BookBytes:Anthropic</c> is validated only while it holds the slot.
/// </summary>
/// <param name="inner">The provider over the Anthropic chat client.</param>
internal sealed class AnthropicLlmProvider(ChatClientLlmProvider inner) : ILlmProvider
{
    public Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
        => inner.OutlineAsync(book, cancellationToken);

    public Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
        => inner.SummarizeChapterAsync(book, chapter, cancellationToken);
}
