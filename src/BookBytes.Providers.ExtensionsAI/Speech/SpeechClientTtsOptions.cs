using BookBytes.Tts;

namespace BookBytes.Providers.ExtensionsAI.Speech;

/// <summary>
/// What a <see cref="SpeechClientTtsProvider"/>'s <c>ITextToSpeechClient</c> accepts, and how to ask it.
/// The abstraction does not tell which voices, formats or lengths a client takes, so the registration
/// declares them; they become the provider's <see cref="TtsCapabilities"/>.
/// </summary>
/// <remarks>A mutable settings bag; not thread-safe while being configured, and read once when the provider is created.</remarks>
public sealed class SpeechClientTtsOptions
{
    /// <summary>Gets or sets the longest text one call accepts. Default 4,096 characters (OpenAI's limit).</summary>
    public int MaxInputCharacters { get; set; } = 4096;

    /// <summary>Gets the voices the client is known to have; the first is the default when <see cref="DefaultVoice"/> is not set.</summary>
    public IList<string> Voices { get; } = [];

    /// <summary>
    /// Gets or sets whether voice names outside <see cref="Voices"/> are passed through (newer voices, servers
    /// with their own). Default <see langword="true"/>. When <see langword="false"/>, requests naming another
    /// voice are refused before any money is spent.
    /// </summary>
    public bool AcceptsOtherVoices { get; set; } = true;

    /// <summary>Gets or sets the voice used when a request names none; <see langword="null"/> for the first of <see cref="Voices"/>.</summary>
    public string? DefaultVoice { get; set; }

    /// <summary>
    /// Gets the voice to use per language when a request names none, keyed by BCP 47 tag (<c>de</c>, <c>pt-BR</c>;
    /// compared ignoring case). A book in <c>pt-BR</c> takes the voice of <c>pt-BR</c>, else of <c>pt</c>; a language not
    /// listed takes <see cref="DefaultVoice"/>. Empty, the default, for clients whose voices speak every language.
    /// </summary>
    public IDictionary<string, string> LanguageVoices { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the audio formats the client produces. Empty, the default, means <see cref="DefaultFormat"/> only.</summary>
    public IList<AudioFormat> Formats { get; } = [];

    /// <summary>Gets or sets the format hosts ask for by default. Default <see cref="AudioFormat.Mp3"/>.</summary>
    public AudioFormat DefaultFormat { get; set; } = AudioFormat.Mp3;

    /// <summary>
    /// Gets or sets the speech model to ask for (<c>TextToSpeechOptions.ModelId</c>). <see langword="null"/>,
    /// the default, sends none: the client's own model speaks.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the slowest speed accepted. Default 0.25 (OpenAI's range).</summary>
    public float MinSpeed { get; set; } = 0.25f;

    /// <summary>Gets or sets the fastest speed accepted. Default 4.0 (OpenAI's range).</summary>
    public float MaxSpeed { get; set; } = 4.0f;
}
