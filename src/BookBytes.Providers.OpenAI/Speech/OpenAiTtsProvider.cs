using BookBytes.Providers.ExtensionsAI.Speech;
using BookBytes.Tts;

namespace BookBytes.Providers.OpenAI.Speech;

/// <summary>
/// The OpenAI text-to-speech provider: the Microsoft.Extensions.AI <see cref="SpeechClientTtsProvider"/> over
/// the OpenAI SDK's speech client (<see cref="OpenAiSpeechClient"/>), with OpenAI's capabilities declared
/// (<see cref="SpeechModels"/>). Its own type marks the <see cref="ITtsProvider"/> slot as OpenAI's.
/// </summary>
/// <param name="inner">The provider over the OpenAI speech client.</param>
internal sealed class OpenAiTtsProvider(SpeechClientTtsProvider inner) : ITtsProvider
{
    public TtsCapabilities Capabilities => inner.Capabilities;

    public string? ModelId => inner.ModelId;

    /// <inheritdoc/>
    public string? VoiceFor(string language) => inner.VoiceFor(language);

    public Task<ReadOnlyMemory<byte>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken = default)
        => inner.SynthesizeAsync(request, cancellationToken);
}
