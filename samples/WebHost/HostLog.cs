namespace BookBytes.WebHost;

/// <summary>The host's own log messages.</summary>
internal static partial class HostLog
{
    [LoggerMessage(1, LogLevel.Warning, "No {Missing} provider is configured. " + ProviderSettings + " Lookups and reads work; POST /api/v1/books/process answers 503 PROVIDER_NOT_CONFIGURED; this node runs no worker, so jobs in the store wait for a node that has providers.")]
    public static partial void NoProviders(ILogger logger, string missing);

    [LoggerMessage(2, LogLevel.Information, "BookBytes host: store {Store}, storage {Storage}, language model {Llm}, speech {Tts}, worker {Worker}")]
    public static partial void Composition(ILogger logger, string store, string storage, string llm, string tts, string worker);

    [LoggerMessage(3, LogLevel.Information, "No language model is configured: summaries are extractive (TextRank), from an uploaded book's own text; a book known only by its ISBN needs a language model (BookBytes:OpenAI:ApiKey, or BookBytes:Llm:Provider=Ollama or Anthropic).")]
    public static partial void ExtractiveSummaries(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "Speech from this machine's engines: {Engines}; default voice {Voice}; {Encoding}. Not found: {Missing}.")]
    public static partial void LocalSpeech(ILogger logger, string engines, string voice, string encoding, string missing);

    [LoggerMessage(5, LogLevel.Warning, "Local speech is unavailable: {Missing}. Install an engine (./build.sh run does), or set BookBytes:OpenAI:ApiKey for OpenAI's speech.")]
    public static partial void NoLocalSpeech(ILogger logger, string missing);

    [LoggerMessage(6, LogLevel.Warning, "API keys are required (BookBytes:Host:ApiKeys) but BookBytes:Host:FeedSecret is not set: podcast apps, which cannot send X-Api-Key, cannot reach private feeds until it is. "
        + "Feed, audio, transcript and cover URLs carry no ?token= and answer 401 without the header. Set BookBytes:Host:FeedSecret to a secret of at least 16 characters (32 or more random ones).")]
    public static partial void FeedsNeedSecret(ILogger logger);

    /// <summary>The settings that give this host its providers, for messages that say what to set.</summary>
    public const string ProviderSettings = "With BookBytes:OpenAI:ApiKey (or BookBytes:OpenAI:Endpoint for an OpenAI-compatible server) speech and summaries come from OpenAI; "
        + "BookBytes:Llm:Provider=Ollama (BookBytes:Ollama:Endpoint, :Model) or =Anthropic (BookBytes:Anthropic:ApiKey) choose those for the summaries. "
        + "Without a key, speech comes from this machine's engines (install espeak-ng: apt-get install espeak-ng) and summaries are extractive, from an uploaded book's text.";
}
