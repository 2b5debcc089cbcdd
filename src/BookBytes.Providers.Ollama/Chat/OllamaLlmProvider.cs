using BookBytes.Internal;
using BookBytes.Providers.ExtensionsAI.Chat;

namespace BookBytes.Providers.Ollama.Chat;

/// <summary>
/// The Ollama language-model provider: the Microsoft.Extensions.AI <see cref="ChatClientLlmProvider"/> (the
/// prompts, the JSON schemas, the answer checks) over OllamaSharp's client (<see cref="OllamaChatClient"/>).
/// Its own type marks the <see cref="Llm.ILlmProvider"/> slot as Ollama's, so <c>BookBytes:Ollama</c> is
/// validated only while it holds the slot.
/// </summary>
/// <param name="inner">The provider over the Ollama chat client.</param>
internal sealed class OllamaLlmProvider(ChatClientLlmProvider inner) : ChatLlmSlot(inner);
