using System.Diagnostics;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>A book the campaign posted.</summary>
internal sealed record BookRun(CampaignBook Book, Guid JobId, Guid AudioBookId);

/// <summary>Where a book ended: its job and its audiobook (null when they could not be read).</summary>
internal sealed record BookOutcome(BookRun Run, JobState? Job, AudioBookState? AudioBook);

/// <summary>
/// One campaign run: a temp directory, the fake providers, the host process on them, and the REST driving.
/// Disposing kills the host, stops the fakes and deletes the directory.
/// </summary>
internal sealed class Campaign : IAsyncDisposable
{
    private readonly CampaignOptions _options;
    private readonly string _hostDll;
    private readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1), ConnectTimeout = TimeSpan.FromSeconds(5) };
    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _environment;

    private Campaign(CampaignOptions options, string hostDll, string work, FakeProviders fake, IReadOnlyList<CampaignBook> books)
    {
        _options = options;
        _hostDll = hostDll;
        Work = work;
        Fake = fake;
        Books = books;
        _http = new HttpClient(_handler) { Timeout = TimeSpan.FromSeconds(30) };
        Api = new HostApi(_http);
        _environment = HostSetup.Environment(work, AudioRoot, fake.OpenAiEndpoint, fake.CatalogUrl, options.HostLogLevel);

        // The POST endpoints allow 30 requests a minute per client (BookBytes:Host:RateLimit); the campaign posts
        // one request per book, so the limit only gets in the way of larger runs.
        if (books.Count > 25)
        {
            _environment["BookBytes__Host__RateLimit__PermitLimit"] = "0";
            ChangedSettings.Add("BookBytes:Host:RateLimit:PermitLimit=0 (API rate limit off: more than 25 POSTs)");
        }
    }

    public string Work { get; }

    public string AudioRoot => Path.Combine(Work, "audio");

    public FakeProviders Fake { get; }

    public IReadOnlyList<CampaignBook> Books { get; }

    public HostApi Api { get; }

    public HostProcess? Host { get; private set; }

    public string HostUrl => Host?.Url ?? throw new InvalidOperationException("The host is not running.");

    /// <summary>Settings changed from the host's defaults, besides endpoints, paths and ports.</summary>
    public List<string> ChangedSettings { get; } = [];

    public static async Task<Campaign> StartAsync(CampaignOptions options, FaultPlan plan, CancellationToken cancellationToken)
    {
        var hostDll = HostSetup.ReleaseHostDll();
        var work = Directory.CreateTempSubdirectory("bookbytes-reliability-").FullName;
        var books = CampaignBook.Create(options.Books, options.Chapters, options.Seed);
        FakeProviders? fake = null;
        try
        {
            fake = await FakeProviders.StartAsync(plan, books, cancellationToken);
            var campaign = new Campaign(options, hostDll, work, fake, books);
            try
            {
                await campaign.StartHostAsync(cancellationToken);
                return campaign;
            }
            catch
            {
                await campaign.DisposeAsync();
                throw;
            }
        }
        catch when (fake is null)
        {
            TryDelete(work);
            throw;
        }
    }

    /// <summary>Starts a host process on the same data (a new port each time) and waits until it is ready.</summary>
    public async Task StartHostAsync(CancellationToken cancellationToken)
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        Host = HostProcess.Start(_hostDll, _environment, _options.Verbose);
        await Host.WaitReadyAsync(_http, TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>Posts every book (starting the run clock the burst window is measured on).</summary>
    public async Task<IReadOnlyList<BookRun>> SubmitAsync(CancellationToken cancellationToken)
    {
        Fake.StartRunClock();
        var runs = new List<BookRun>();
        foreach (var book in Books)
        {
            var (jobId, audioBookId) = await Api.ProcessAsync(HostUrl, book.Isbn, cancellationToken);
            runs.Add(new BookRun(book, jobId, audioBookId));
        }

        return runs;
    }

    /// <summary>Polls every job until all are terminal or <paramref name="deadline"/> passes; false on the deadline.</summary>
    public async Task<bool> WaitTerminalAsync(IReadOnlyList<BookRun> runs, Stopwatch clock, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var states = new Dictionary<Guid, JobState?>();
        var nextReport = TimeSpan.FromSeconds(30);
        while (true)
        {
            foreach (var run in runs)
            {
                if (states.GetValueOrDefault(run.JobId) is { IsTerminal: true })
                {
                    continue;
                }

                states[run.JobId] = await Api.JobAsync(HostUrl, run.JobId, cancellationToken) ?? states.GetValueOrDefault(run.JobId);
            }

            var terminal = states.Values.Count(s => s is { IsTerminal: true });
            if (terminal == runs.Count)
            {
                return true;
            }

            if (clock.Elapsed >= nextReport)
            {
                nextReport += TimeSpan.FromSeconds(30);
                Console.WriteLine($"  t={clock.Elapsed.TotalSeconds:F0}s: {Describe(states.Values)}; speech calls so far {Fake.Counters.Count(ProviderCounters.Speech)}");
            }

            if (clock.Elapsed >= deadline)
            {
                return false;
            }

            if (Host is { HasExited: true } host)
            {
                throw new HostFailedException("The host process exited on its own during the run.", host.Tail());
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<BookOutcome>> CollectAsync(IReadOnlyList<BookRun> runs, CancellationToken cancellationToken)
    {
        var outcomes = new List<BookOutcome>();
        foreach (var run in runs)
        {
            outcomes.Add(new BookOutcome(
                run,
                await Api.JobAsync(HostUrl, run.JobId, cancellationToken),
                await Api.AudioBookAsync(HostUrl, run.AudioBookId, cancellationToken)));
        }

        return outcomes;
    }

    /// <summary>Where the pipeline stores a chapter's audio with local storage.</summary>
    public string ChapterFile(Guid audioBookId, int version, int chapter)
        => HostSetup.ChapterFile(AudioRoot, audioBookId, version, chapter);

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Fake.DisposeAsync();
        _http.Dispose();
        _handler.Dispose();
        if (_options.Keep)
        {
            Console.WriteLine($"kept {Work}");
        }
        else
        {
            TryDelete(Work);
        }
    }

    private static string Describe(IEnumerable<JobState?> states)
        => string.Join(", ", states.GroupBy(s => s?.Status ?? "unknown").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not delete {directory}: {ex.Message}");
        }
    }
}
