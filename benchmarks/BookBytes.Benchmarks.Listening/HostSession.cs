using System.Diagnostics;
using BookBytes.Benchmarks.Reliability;

namespace BookBytes.Benchmarks.Listening;

/// <summary>
/// A temp directory, the stand-in and the real host process on them (SQLite and local audio in the directory), with
/// HTTP clients for the API. Disposing kills the host, stops the stand-in and deletes the directory (audio included).
/// </summary>
internal sealed class HostSession : IAsyncDisposable
{
    private readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(5) };
    private readonly string _work;

    private HostSession(string work, StandInServer standIn, HostProcess host)
    {
        _work = work;
        StandIn = standIn;
        Host = host;
        Http = new HttpClient(_handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        Streaming = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        Api = new HostApi(Http);
    }

    public StandInServer StandIn { get; }

    public HostProcess Host { get; }

    public string Url => Host.Url;

    public HostApi Api { get; }

    public HttpClient Http { get; }

    /// <summary>No time limit of its own: for bodies that last as long as a chapter takes to make.</summary>
    public HttpClient Streaming { get; }

    public static async Task<HostSession> StartAsync(
        StandInModel model, Stopwatch clock, IReadOnlyList<CampaignBook> books, IReadOnlyDictionary<string, string> settings, string logLevel, bool verbose, CancellationToken cancellationToken)
    {
        var hostDll = HostSetup.ReleaseHostDll();
        var work = Directory.CreateTempSubdirectory("bookbytes-listening-").FullName;
        StandInServer? standIn = null;
        HostProcess? host = null;
        try
        {
            standIn = await StandInServer.StartAsync(model, clock, books, cancellationToken);
            var environment = HostSetup.Environment(work, Path.Combine(work, "audio"), standIn.OpenAiEndpoint, standIn.CatalogUrl, logLevel);
            foreach (var (key, value) in settings)
            {
                environment[key] = value;
            }

            host = HostProcess.Start(hostDll, environment, verbose);
            var session = new HostSession(work, standIn, host);
            await host.WaitReadyAsync(session.Http, TimeSpan.FromSeconds(60), cancellationToken);
            return session;
        }
        catch
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            if (standIn is not null)
            {
                await standIn.DisposeAsync();
            }

            Directory.Delete(work, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await StandIn.DisposeAsync();
        Http.Dispose();
        Streaming.Dispose();
        _handler.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not delete {_work}: {ex.Message}");
        }
    }
}
