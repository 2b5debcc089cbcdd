using BookBytes.Catalog.OpenLibrary;
using BookBytes.DependencyInjection;
using BookBytes.Documents;
using BookBytes.JobStore.PostgreSql;
using BookBytes.Packaging.Ffmpeg;
using BookBytes.JobStore.Sqlite;
using BookBytes.Providers.Anthropic;
using BookBytes.Providers.Local;
using BookBytes.Providers.Local.Speech;
using BookBytes.Providers.Ollama;
using BookBytes.Providers.OpenAI;
using BookBytes.Storage.Local;
using BookBytes.Storage.S3;
using Microsoft.Data.Sqlite;

namespace BookBytes.WebHost.Composition;

/// <summary>Composes BookBytes from configuration through the packages' public <c>Add…</c> API.</summary>
internal static class BookBytesHostComposition
{
    public const string ConnectionStringName = "BookBytes";
    public const string DefaultSqliteConnectionString = "Data Source=./data/bookbytes.db";

    public const string LlmProviderKey = "BookBytes:Llm:Provider";
    public const string TtsProviderKey = "BookBytes:Tts:Provider";

    /// <summary>What was chosen, for the start-up log.</summary>
    /// <param name="Store">The job store.</param>
    /// <param name="Storage">The audio storage.</param>
    /// <param name="Llm">The language-model provider, or <see langword="null"/> when its settings are missing.</param>
    /// <param name="Tts">The text-to-speech provider, or <see langword="null"/> when its settings are missing.</param>
    /// <param name="WorkerEnabled">Whether this node runs jobs.</param>
    /// <param name="LlmDefaulted">Whether the summaries are the local extractive ones because no language model is configured.</param>
    /// <param name="Speech">The local speech engines, when <see cref="Tts"/> is (or would have been) <c>Local</c>.</param>
    internal sealed record Choices(string Store, string Storage, string? Llm, string? Tts, bool WorkerEnabled, bool LlmDefaulted, LocalSpeechEngines? Speech)
    {
        public bool ProvidersConfigured => Llm is not null && Tts is not null;
    }

    public static Choices AddBookBytesFromConfiguration(this IServiceCollection services, IConfiguration configuration)
    {
        // Unset, each provider is OpenAI when its settings are there, else the machine's own (no key, no network).
        var openAi = OpenAiOptions.IsConfigured(configuration);
        var llmDefaulted = !HasValue(configuration, LlmProviderKey) && !openAi;
        var llm = llmDefaulted ? "Local" : Choose(configuration, LlmProviderKey, "OpenAI", "Ollama", "Anthropic", "Local");
        var speechServer = openAi || HasValue(configuration, OpenAiOptions.SectionName + ":SpeechEndpoint");
        var tts = HasValue(configuration, TtsProviderKey) ? Choose(configuration, TtsProviderKey, "OpenAI", "Local") : speechServer ? "OpenAI" : "Local";
        var llmConfigured = llm switch
        {
            "OpenAI" => openAi,
            // Choosing Ollama is its configuration: its endpoint and model have local defaults. Extractive summaries need nothing.
            "Ollama" or "Local" => true,
            _ => HasValue(configuration, AnthropicOptions.SectionName + ":ApiKey") || HasValue(configuration, AnthropicOptions.SectionName + ":Endpoint"),
        };

        // Speech alone may come from a compatible server (Kokoro, openedai-speech) beside another language model; local speech
        // needs one engine installed (a node without one names the Debian package rather than failing its start).
        var speech = tts == "Local" ? LocalSpeechEngines.Discover(configuration.GetSection(LocalSpeechOptions.SectionName).Get<LocalSpeechOptions>() ?? new LocalSpeechOptions()) : null;
        var ttsConfigured = speech is null ? speechServer : speech.Voices.Count > 0;

        // A node without both providers serves the API but runs no worker: it would fail every job it claimed,
        // including jobs other nodes enqueued into a shared store.
        var providers = llmConfigured && ttsConfigured;
        var bookBytes = services.AddBookBytes(configuration, providers ? null : o => o.Worker.Enabled = false);

        var store = configuration["BookBytes:Jobs:Store"] is { Length: > 0 } s ? s : "Sqlite";
        AddStore(bookBytes, store, configuration);

        var storage = configuration["BookBytes:Storage:Provider"] is { Length: > 0 } p ? p : "Local";
        if (string.Equals(storage, "Local", StringComparison.OrdinalIgnoreCase))
        {
            bookBytes.AddLocalStorage();
        }
        else if (string.Equals(storage, "S3", StringComparison.OrdinalIgnoreCase))
        {
            bookBytes.AddS3Storage();
        }
        else
        {
            throw new InvalidOperationException($"BookBytes:Storage:Provider is '{storage}'; use Local or S3.");
        }

        // What is configured is registered, so a request names only what is missing (503 PROVIDER_NOT_CONFIGURED).
        if (llmConfigured)
        {
            _ = llm switch
            {
                "OpenAI" => bookBytes.AddOpenAILlm(),
                "Ollama" => bookBytes.AddOllamaLlm(),
                "Local" => bookBytes.AddExtractiveSummaries(),
                _ => bookBytes.AddAnthropicLlm(),
            };
        }

        if (ttsConfigured)
        {
            if (speech is not null)
            {
                // The engines found above serve the node: they are not discovered a second time.
                services.AddSingleton(speech);
                bookBytes.AddLocalSpeech();
            }
            else
            {
                bookBytes.AddOpenAITts();
            }
        }

        bookBytes.AddOpenLibraryCatalog();
        bookBytes.AddDocuments();

        // One chaptered M4B and MP3 per finished book, by Debian's ffmpeg (BookBytes:Packaging); without ffmpeg books are not packaged.
        bookBytes.AddFfmpegPackaging();

        // The runner lets running jobs reach a checkpoint for Jobs:ShutdownTimeout, then releases them;
        // the host must wait longer than that or the releases are cut off.
        var grace = configuration.GetValue("BookBytes:Jobs:ShutdownTimeout", TimeSpan.FromSeconds(30));
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(o.ShutdownTimeout.Ticks, (grace + TimeSpan.FromSeconds(15)).Ticks)));

        var worker = providers && configuration.GetValue("BookBytes:Worker:Enabled", defaultValue: true);
        return new Choices(store, storage, llmConfigured ? llm : null, ttsConfigured ? tts : null, worker, llmDefaulted, speech);
    }

    /// <summary>The provider <paramref name="key"/> names, spelled as <paramref name="known"/> spells it; the first when unset.</summary>
    private static string Choose(IConfiguration configuration, string key, params string[] known)
    {
        if (configuration[key] is not { Length: > 0 } value)
        {
            return known[0];
        }

        return known.FirstOrDefault(k => string.Equals(k, value.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"{key} is '{value}'; this host knows {string.Join(", ", known)}"
                + (known.Length == 1 ? " (including OpenAI-compatible servers via BookBytes:OpenAI:Endpoint)." : "."));
    }

    private static bool HasValue(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);

    private static void AddStore(IBookBytesBuilder bookBytes, string store, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.Equals(store, "InMemory", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (string.Equals(store, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            connectionString = string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnectionString : connectionString;
            EnsureDirectory(connectionString);
            bookBytes.AddSqliteStore(connectionString);
            return;
        }

        if (string.Equals(store, "PostgreSql", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("BookBytes:Jobs:Store is PostgreSql; set ConnectionStrings:BookBytes to an Npgsql connection string.");
            }

            bookBytes.AddPostgreSqlStore(connectionString);
            return;
        }

        throw new InvalidOperationException($"BookBytes:Jobs:Store is '{store}'; use InMemory, Sqlite or PostgreSql.");
    }

    private static void EnsureDirectory(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:")
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
