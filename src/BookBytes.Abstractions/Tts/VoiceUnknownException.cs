namespace BookBytes.Tts;

/// <summary>
/// Thrown when the text-to-speech provider does not have the voice asked for: refused at the request
/// when the provider lists its voices and takes no others, or by the provider at the job's first speech
/// call, before any summary is bought. Never transient.
/// </summary>
public sealed class VoiceUnknownException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="voice">The voice asked for.</param>
    /// <param name="knownVoices">The provider's voices, named in the message; empty when it does not list them.</param>
    /// <param name="detail">Why the voice was refused, when a provider said so; <see langword="null"/> otherwise.</param>
    /// <param name="innerException">The provider's failure, when it refused the voice itself.</param>
    public VoiceUnknownException(string voice, IReadOnlyList<string> knownVoices, string? detail = null, Exception? innerException = null)
        : base(Describe(voice, knownVoices, detail), ErrorCodes.VoiceUnknown, isTransient: false, innerException)
    {
        Voice = voice;
        KnownVoices = knownVoices;
    }

    /// <summary>Gets the voice asked for.</summary>
    public string Voice { get; }

    /// <summary>Gets the provider's voices; empty when it does not list them.</summary>
    public IReadOnlyList<string> KnownVoices { get; }

    private static string Describe(string voice, IReadOnlyList<string> knownVoices, string? detail)
    {
        ArgumentNullException.ThrowIfNull(knownVoices);
        var text = $"The text-to-speech provider has no voice '{voice}'";
        text += detail is null ? "." : $": {detail}";
        return knownVoices.Count > 0 ? $"{text} Its voices: {string.Join(", ", knownVoices)}." : text;
    }
}
