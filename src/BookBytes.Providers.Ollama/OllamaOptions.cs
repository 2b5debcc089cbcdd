namespace BookBytes.Providers.Ollama;

/// <summary>
/// Settings of the Ollama language-model provider, bound from the configuration section
/// <see cref="SectionName"/> (<c>BookBytes:Ollama</c>).
/// </summary>
/// <remarks>A mutable settings bag for the options pattern; not thread-safe while being configured.</remarks>
public sealed class OllamaOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "BookBytes:Ollama";

    /// <summary>Gets the address of a local Ollama server, the default of <see cref="Endpoint"/>.</summary>
    public static Uri DefaultEndpoint { get; } = new("http://localhost:11434");

    /// <summary>
    /// Gets or sets the base address of the Ollama server, without <c>/api</c> (the native API's paths are
    /// added to it). Default <c>http://localhost:11434</c>.
    /// </summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// Gets or sets the model used for outlines and summaries; it must be pulled on the server
    /// (<c>ollama pull llama3.2</c>). Default <c>llama3.2</c>.
    /// </summary>
    public string Model { get; set; } = "llama3.2";

    /// <summary>
    /// Gets or sets the time one HTTP attempt may take before it is abandoned and retried, the whole
    /// response included. Default 5 minutes: a local model loads, reads the prompt and writes the whole
    /// answer before Ollama sends anything.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how many times a failed HTTP call (408, 409, 429, 5xx, network error, attempt time-out)
    /// is retried by the resilience handler, 0–10. Default 1; 0 turns retries off. OllamaSharp does not
    /// retry, so this is the only HTTP retry layer.
    /// </summary>
    public int MaxRetries { get; set; } = 1;

    /// <summary>
    /// Gets or sets the base delay of the exponential, jittered back-off between HTTP retries.
    /// Default 2 seconds. A <c>Retry-After</c> header sent by the server takes precedence.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gets or sets the most tokens one answer may have, sent as Ollama's <c>options.num_predict</c>.
    /// <see langword="null"/>, the default, sends none: the model's own limit holds. An answer cut off at
    /// the limit (<c>done_reason: "length"</c>) is a transient failure and is asked again.
    /// </summary>
    public int? MaxOutputTokens { get; set; }
}
