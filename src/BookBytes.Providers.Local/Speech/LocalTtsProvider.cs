using BookBytes.Providers.ExtensionsAI.Speech;
using BookBytes.Tts;

namespace BookBytes.Providers.Local.Speech;

/// <summary>
/// The local text-to-speech provider: the Microsoft.Extensions.AI <see cref="SpeechClientTtsProvider"/> over
/// <see cref="LocalSpeechClient"/>, with the voices and formats found on this machine declared. Its own type marks
/// the <see cref="ITtsProvider"/> slot as the local engines'.
/// </summary>
/// <param name="inner">The provider over the local speech client.</param>
internal sealed class LocalTtsProvider(SpeechClientTtsProvider inner) : ITtsProvider
{
    public TtsCapabilities Capabilities => inner.Capabilities;

    public string? ModelId => inner.ModelId;

    /// <inheritdoc/>
    public string? VoiceFor(string language) => inner.VoiceFor(language);

    /// <exception cref="VoiceUnknownException">The request names a voice that was not found on this machine (never transient).</exception>
    public Task<ReadOnlyMemory<byte>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken = default)
    {
        // Refused here: through the wrapped provider the client's refusal would become a transient ProviderException.
        if (request is { Voice: { } voice } && !string.IsNullOrWhiteSpace(voice)
            && !Capabilities.Voices.Contains(voice.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            throw new VoiceUnknownException(voice, Capabilities.Voices);
        }

        return inner.SynthesizeAsync(request, cancellationToken);
    }

    /// <summary>What the engines found accept, as <see cref="SpeechClientTtsProvider"/> declares it.</summary>
    public static SpeechClientTtsOptions Options(LocalSpeechEngines engines, LocalSpeechOptions options)
    {
        var declared = new SpeechClientTtsOptions
        {
            AcceptsOtherVoices = false,
            DefaultVoice = engines.DefaultVoice,
            DefaultFormat = engines.CanEncodeMp3 ? AudioFormat.Mp3 : AudioFormat.Wav,
            MaxInputCharacters = options.MaxInputCharacters,
            MinSpeed = LocalSpeechClient.MinSpeed,
            MaxSpeed = LocalSpeechClient.MaxSpeed,
        };
        foreach (var voice in engines.Voices)
        {
            declared.Voices.Add(voice.Id);
        }

        if (engines.CanEncodeMp3)
        {
            declared.Formats.Add(AudioFormat.Mp3);
        }

        declared.Formats.Add(AudioFormat.Wav);
        foreach (var (language, voice) in engines.LanguageVoices())
        {
            declared.LanguageVoices[language] = voice;
        }

        return declared;
    }
}
