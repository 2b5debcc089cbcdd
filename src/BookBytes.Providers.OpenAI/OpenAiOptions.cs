using BookBytes.Tts;
using Microsoft.Extensions.Configuration;

namespace BookBytes.Providers.OpenAI;

/// <summary>
/// Settings of the OpenAI providers, bound from the configuration section <see cref="SectionName"/>
/// (<c>BookBytes:OpenAI</c>). They also fit any OpenAI-compatible server (Ollama, vLLM, LocalAI,
/// Kokoro, openedai-speech) through <see cref="Endpoint"/>.
/// </summary>
/// <remarks>A mutable settings bag for the options pattern; not thread-safe while being configured.</remarks>
public sealed class OpenAiOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "BookBytes:OpenAI";

    /// <summary>Gets the endpoint of the OpenAI API, used when <see cref="Endpoint"/> is not set.</summary>
    public static Uri DefaultEndpoint { get; } = new("https://api.openai.com/v1");

    /// <summary>
    /// Gets or sets the API key, sent as <c>Authorization: Bearer</c>. Required for the OpenAI API;
    /// optional for a local server set through <see cref="Endpoint"/>. Never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets the base address of an OpenAI-compatible API including its version segment, for
    /// example <c>http://localhost:11434/v1</c>. <see langword="null"/> means <see cref="DefaultEndpoint"/>.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Gets or sets a different base address for speech only, for example a Kokoro or openedai-speech
    /// server next to an Ollama chat server. <see langword="null"/> means speech uses <see cref="Endpoint"/>.
    /// </summary>
    public Uri? SpeechEndpoint { get; set; }

    /// <summary>Gets or sets the chat model used for outlines and summaries. Default <c>gpt-4o-mini</c>.</summary>
    public string ChatModel { get; set; } = "gpt-4o-mini";

    /// <summary>Gets or sets the speech model. Default <c>gpt-4o-mini-tts</c>.</summary>
    public string SpeechModel { get; set; } = "gpt-4o-mini-tts";

    /// <summary>Gets or sets the voice used when a request names none. Default <c>alloy</c>.</summary>
    public string Voice { get; set; } = "alloy";

    /// <summary>Gets or sets the audio format hosts should ask for by default. Default <see cref="Tts.AudioFormat.Mp3"/>.</summary>
    public AudioFormat AudioFormat { get; set; } = AudioFormat.Mp3;

    /// <summary>
    /// Gets or sets the time one chat HTTP attempt may take before it is abandoned and retried.
    /// Default 2 minutes: a 500-word summary takes 10–40 s on hosted models, longer on local ones.
    /// </summary>
    public TimeSpan ChatTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets the time one speech HTTP attempt may take before it is abandoned and retried.
    /// Default 3 minutes: 4,096 characters take about 45 s on the OpenAI API, and local servers are slower.
    /// </summary>
    public TimeSpan SpeechTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Gets or sets how many times a failed HTTP call (429, 408, 5xx, network error, attempt time-out)
    /// is retried by the resilience handler. Default 1 — a transient failure is retried once at the HTTP
    /// layer, then the BookBytes job retries with backoff; 0 turns retries off. The OpenAI SDK's own
    /// retries are always off, so this is the only HTTP retry layer.
    /// </summary>
    public int MaxRetries { get; set; } = 1;

    /// <summary>
    /// Gets or sets the base delay of the exponential, jittered back-off between HTTP retries.
    /// Default 2 seconds. A <c>Retry-After</c> header sent by the server takes precedence.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the endpoint chat calls go to: <see cref="Endpoint"/> or <see cref="DefaultEndpoint"/>.</summary>
    public Uri EffectiveEndpoint => Endpoint ?? DefaultEndpoint;

    /// <summary>Gets the endpoint speech calls go to: <see cref="SpeechEndpoint"/>, else <see cref="EffectiveEndpoint"/>.</summary>
    public Uri EffectiveSpeechEndpoint => SpeechEndpoint ?? EffectiveEndpoint;

    /// <summary>Tells whether <paramref name="endpoint"/> is the OpenAI API itself, not a compatible server.</summary>
    internal static bool IsOpenAiApi(Uri endpoint)
        => endpoint.IsAbsoluteUri && string.Equals(endpoint.Host, DefaultEndpoint.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Tells whether the configuration sets up OpenAI at all: <c>BookBytes:OpenAI:ApiKey</c> or
    /// <c>BookBytes:OpenAI:Endpoint</c> has a value. Hosts use it to decide whether to call
    /// <see cref="BookBytesBuilderOpenAiExtensions.AddOpenAI"/> or to report the provider as not configured.
    /// </summary>
    /// <param name="configuration">The application configuration (the root, not the section).</param>
    /// <returns><see langword="true"/> when an API key or an endpoint is configured.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        return !string.IsNullOrWhiteSpace(section[nameof(ApiKey)])
            || !string.IsNullOrWhiteSpace(section[nameof(Endpoint)]);
    }
}
