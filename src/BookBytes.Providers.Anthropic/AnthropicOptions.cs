namespace BookBytes.Providers.Anthropic;

/// <summary>
/// Settings of the Anthropic (Claude) language-model provider, bound from the configuration section
/// <see cref="SectionName"/> (<c>BookBytes:Anthropic</c>).
/// </summary>
/// <remarks>A mutable settings bag for the options pattern; not thread-safe while being configured.</remarks>
public sealed class AnthropicOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "BookBytes:Anthropic";

    /// <summary>Gets the address of the Anthropic API, the default of <see cref="Endpoint"/>.</summary>
    public static Uri DefaultEndpoint { get; } = new("https://api.anthropic.com");

    /// <summary>
    /// Gets or sets the API key. Required when <see cref="Endpoint"/> is the Anthropic API
    /// (<c>api.anthropic.com</c>); optional for another server, which then gets no credential. Never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets the base address of the API, without the version segment: the SDK posts to
    /// <c>{Endpoint}/v1/messages</c>. Default <see cref="DefaultEndpoint"/> (<c>https://api.anthropic.com</c>).
    /// </summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>Gets or sets the model used for outlines and summaries. Default <c>claude-sonnet-4-5</c>.</summary>
    public string Model { get; set; } = "claude-sonnet-4-5";

    /// <summary>
    /// Gets or sets the most tokens one answer may have, sent as <c>max_tokens</c> (the Messages API requires it).
    /// Default 4096: a 500-word summary takes about 700.
    /// </summary>
    public int MaxOutputTokens { get; set; } = 4096;

    /// <summary>
    /// Gets or sets the time one HTTP attempt may take, the whole response body included, before it is abandoned
    /// and retried. Default 2 minutes.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets how many times a failed HTTP call (408, 409, 429, 5xx, 529 overloaded, network error, attempt
    /// time-out) is retried by the resilience handler, 0 to 10. Default 1; 0 turns retries off. The SDK's own
    /// retries are always off, so this is the only HTTP retry layer.
    /// </summary>
    public int MaxRetries { get; set; } = 1;

    /// <summary>
    /// Gets or sets the base delay of the exponential, jittered back-off between HTTP retries. Default 2 seconds.
    /// A <c>Retry-After</c> header sent by the server takes precedence.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Tells whether <paramref name="endpoint"/> is the Anthropic API itself.</summary>
    internal static bool IsAnthropicApi(Uri? endpoint)
        => endpoint is { IsAbsoluteUri: true } && string.Equals(endpoint.Host, DefaultEndpoint.Host, StringComparison.OrdinalIgnoreCase);
}
