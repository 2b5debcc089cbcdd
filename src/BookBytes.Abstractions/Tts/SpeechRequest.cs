namespace BookBytes.Tts;

/// <summary>What a text-to-speech provider is asked to say, and how.</summary>
/// <param name="Text">The text to speak; at most <see cref="TtsCapabilities.MaxInputCharacters"/> characters.</param>
/// <param name="Voice">The voice name, for example <c>alloy</c>; providers may accept names they do not list.</param>
/// <param name="Format">The audio encoding.</param>
/// <param name="Speed">The speaking speed (1.0 is normal), when not the provider's default.</param>
/// <param name="Instructions">Style instructions (tone, pace), sent only to models that accept them.</param>
public sealed record SpeechRequest(
    string Text,
    string Voice,
    AudioFormat Format = AudioFormat.Mp3,
    float? Speed = null,
    string? Instructions = null);
