using BookBytes.Internal;
using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;
using Microsoft.ML.Tokenizers;

namespace BookBytes.Providers.OpenAI.Chat;

/// <summary>
/// The OpenAI language-model provider: the Microsoft.Extensions.AI <see cref="ChatClientLlmProvider"/> (the
/// prompts, the strict JSON schemas, the answer checks) over the OpenAI SDK's chat client
/// (<see cref="OpenAiChatClient"/>). Its own type marks the <see cref="ILlmProvider"/> slot as OpenAI's, so
/// <c>BookBytes:OpenAI</c> is validated only while it holds the slot.
/// </summary>
/// <remarks>
/// Tokens are counted exactly with the chat model's tiktoken encoding (<see cref="OpenAiTokenizers"/>), created on the
/// first count and shared by all threads; a model the tokenizer does not know (a compatible server's) is estimated
/// (<see cref="LlmTokens.Estimate"/>). The count is the text's alone, without the few tokens of message framing.
/// </remarks>
/// <param name="inner">The provider over the OpenAI chat client.</param>
/// <param name="chatModel">The configured chat model, whose tokenizer counts tokens.</param>
internal sealed class OpenAiLlmProvider(ChatClientLlmProvider inner, string chatModel) : ChatLlmSlot(inner)
{
    private readonly Lazy<Tokenizer?> _tokenizer = new(() => OpenAiTokenizers.ForModel(chatModel), LazyThreadSafetyMode.ExecutionAndPublication);

    public override int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.Value is { } tokenizer ? tokenizer.CountTokens(text) : base.CountTokens(text);
    }
}
