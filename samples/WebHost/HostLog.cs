namespace BookBytes.WebHost;

/// <summary>The host's own log messages.</summary>
internal static partial class HostLog
{
    [LoggerMessage(1, LogLevel.Warning, "No {Missing} provider is configured. " + ProviderSettings + " Lookups and reads work; POST /api/v1/books/process answers 503 PROVIDER_NOT_CONFIGURED; this node runs no worker, so jobs in the store wait for a node that has providers.")]
    public static partial void NoProviders(ILogger logger, string missing);

    [LoggerMessage(2, LogLevel.Information, "BookBytes host: store {Store}, storage {Storage}, language model {Llm}, speech {Tts}, worker {Worker}")]
    public static partial void Composition(ILogger logger, string store, string storage, string llm, string tts, string worker);

    /// <summary>The settings that give this host its providers, for messages that say what to set.</summary>
    public const string ProviderSettings = "Speech and, by default, the summaries come from OpenAI: set BookBytes:OpenAI:ApiKey, or BookBytes:OpenAI:Endpoint for an OpenAI-compatible server. "
        + "For the summaries BookBytes:Llm:Provider=Ollama (BookBytes:Ollama:Endpoint, :Model) or =Anthropic (BookBytes:Anthropic:ApiKey) choose those instead.";
}
