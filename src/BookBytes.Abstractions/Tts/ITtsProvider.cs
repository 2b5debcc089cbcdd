namespace BookBytes.Tts;

/// <summary>A text-to-speech service.</summary>
/// <remarks>
/// Implementations must be safe to call from many threads at once. They refuse text longer than
/// <see cref="TtsCapabilities.MaxInputCharacters"/>; splitting long text is the caller's job.
/// </remarks>
public interface ITtsProvider
{
    /// <summary>Gets what the provider accepts: input length, voices and formats.</summary>
    TtsCapabilities Capabilities { get; }

    /// <summary>Speaks the text and returns the whole audio.</summary>
    /// <param name="request">What to say and how.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The encoded audio in <see cref="SpeechRequest.Format"/>.</returns>
    /// <exception cref="ArgumentException">The text is empty or longer than <see cref="TtsCapabilities.MaxInputCharacters"/>, or the speed is out of range.</exception>
    /// <exception cref="ProviderException">The call failed; see <see cref="BookBytesException.IsTransient"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ReadOnlyMemory<byte>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gets the speech model's name, for the price table of estimates; <see langword="null"/> when the provider does not say.</summary>
    string? ModelId => null;

    /// <summary>
    /// Gets the voice to use for text in <paramref name="language"/> when a request names none — for engines whose voices
    /// each speak one language. The default is <see langword="null"/>: the provider's <see cref="TtsCapabilities.DefaultVoice"/>
    /// speaks every language.
    /// </summary>
    /// <param name="language">A BCP 47 language tag, for example <c>de</c> or <c>pt-BR</c>.</param>
    /// <returns>One of the provider's voices, or <see langword="null"/> when it has none for the language or does not say.</returns>
    string? VoiceFor(string language) => null;
}
