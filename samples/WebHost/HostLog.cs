namespace BookBytes.WebHost;

/// <summary>The host's own log messages.</summary>
internal static partial class HostLog
{
    [LoggerMessage(1, LogLevel.Warning, "No language-model or text-to-speech provider is configured: set BookBytes:OpenAI:ApiKey (OpenAI) or BookBytes:OpenAI:Endpoint (an OpenAI-compatible server). Lookups and reads work; POST /api/v1/books/process answers 503 PROVIDER_NOT_CONFIGURED; this node runs no worker, so jobs in the store wait for a node that has providers.")]
    public static partial void NoProviders(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "BookBytes host: store {Store}, storage {Storage}, providers {Providers}, worker {Worker}")]
    public static partial void Composition(ILogger logger, string store, string storage, string providers, string worker);
}
