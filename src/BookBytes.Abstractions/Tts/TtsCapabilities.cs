namespace BookBytes.Tts;

/// <summary>What a text-to-speech provider accepts.</summary>
/// <param name="MaxInputCharacters">The longest text one call accepts.</param>
/// <param name="Voices">The voices the provider knows; others may still be accepted when <paramref name="AcceptsOtherVoices"/> is set.</param>
/// <param name="Formats">The audio formats the provider produces.</param>
/// <param name="AcceptsOtherVoices"><see langword="true"/> when voice names outside <paramref name="Voices"/> are passed through (newer voices, compatible servers).</param>
/// <param name="DefaultVoice">The voice used when a request names none; <see langword="null"/> for the first of <paramref name="Voices"/>.</param>
/// <param name="DefaultFormat">The format the provider is configured to produce.</param>
public sealed record TtsCapabilities(
    int MaxInputCharacters,
    IReadOnlyList<string> Voices,
    IReadOnlyList<AudioFormat> Formats,
    bool AcceptsOtherVoices = true,
    string? DefaultVoice = null,
    AudioFormat DefaultFormat = AudioFormat.Mp3);
