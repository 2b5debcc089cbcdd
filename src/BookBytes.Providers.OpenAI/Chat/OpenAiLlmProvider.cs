using BookBytes.Internal;
using BookBytes.Providers.ExtensionsAI.Chat;

namespace BookBytes.Providers.OpenAI.Chat;

/// <summary>
/// The OpenAI language-model provider: the Microsoft.Extensions.AI <see cref="ChatClientLlmProvider"/> (the
/// prompts, the strict JSON schemas, the answer checks) over the OpenAI SDK's chat client
/// (<see cref="OpenAiChatClient"/>). Its own type marks the <see cref="Llm.ILlmProvider"/> slot as OpenAI's, so
/// <c>BookBytes:OpenAI</c> is validated only while it holds the slot.
/// </summary>
/// <param name="inner">The provider over the OpenAI chat client.</param>
internal sealed class OpenAiLlmProvider(ChatClientLlmProvider inner) : ChatLlmSlot(inner);
