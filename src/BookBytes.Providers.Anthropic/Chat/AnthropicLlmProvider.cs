using BookBytes.Internal;
using BookBytes.Providers.ExtensionsAI.Chat;

namespace BookBytes.Providers.Anthropic.Chat;

/// <summary>
/// The Anthropic language-model provider: the Microsoft.Extensions.AI <see cref="ChatClientLlmProvider"/> (the
/// prompts, the JSON schemas, the answer checks) over the Anthropic SDK's chat client
/// (<see cref="AnthropicChatClient"/>). Its own type marks the <see cref="Llm.ILlmProvider"/> slot as Anthropic's, so
/// <c>BookBytes:Anthropic</c> is validated only while it holds the slot.
/// </summary>
/// <param name="inner">The provider over the Anthropic chat client.</param>
internal sealed class AnthropicLlmProvider(ChatClientLlmProvider inner) : ChatLlmSlot(inner);
