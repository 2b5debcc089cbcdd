using BookBytes.Catalog.OpenLibrary;
using BookBytes.DependencyInjection;
using BookBytes.JobStore.PostgreSql;
using BookBytes.JobStore.Sqlite;
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

    /// <summary>What was chosen, for the start-up log.</summary>
    internal sealed record Choices(string Store, string Storage, bool ProvidersConfigured, bool WorkerEnabled);

    public static Choices AddBookBytesFromConfiguration(this IServiceCollection services, IConfiguration configuration)
    {
        // A node without providers serves the API but runs no worker: it would fail every job it claimed,
        // including jobs other nodes enqueued into a shared store.
        var providers = OpenAiOptions.IsConfigured(configuration);
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

        foreach (var key in (string[])["BookBytes:Llm:Provider", "BookBytes:Tts:Provider"])
        {
            if (configuration[key] is { Length: > 0 } provider && !string.Equals(provider, "OpenAI", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{key} is '{provider}'; this host knows OpenAI (including OpenAI-compatible servers via BookBytes:OpenAI:Endpoint).");
            }
        }

        if (providers)
        {
            bookBytes.AddOpenAI();
        }

        bookBytes.AddOpenLibraryCatalog();

        // The runner lets running jobs reach a checkpoint for Jobs:ShutdownTimeout, then releases them;
        // the host must wait longer than that or the releases are cut off.
        var grace = configuration.GetValue("BookBytes:Jobs:ShutdownTimeout", TimeSpan.FromSeconds(30));
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(o.ShutdownTimeout.Ticks, (grace + TimeSpan.FromSeconds(15)).Ticks)));

        var worker = providers && configuration.GetValue("BookBytes:Worker:Enabled", defaultValue: true);
        return new Choices(store, storage, providers, worker);
    }

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
