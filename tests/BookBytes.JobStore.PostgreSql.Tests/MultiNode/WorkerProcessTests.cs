using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.DependencyInjection;
using BookBytes.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.Providers.OpenAI;
using BookBytes.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.JobStore.MultiNode;

/// <summary>
/// Worker nodes as separate processes over one store: books enqueued by an API-only node (this test
/// process) are processed by worker processes, each chapter spoken once; a worker killed with SIGKILL
/// mid-book loses nothing. Each store's test project inherits this with its store.
/// </summary>
public abstract class WorkerProcessTests : IAsyncLifetime
{
    private readonly string _storageRoot = Path.Combine(Path.GetTempPath(), "bookbytes-audio-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _api;

    /// <summary>Gets the store name the worker host understands: <c>Sqlite</c> or <c>PostgreSql</c>.</summary>
    protected abstract string StoreName { get; }

    /// <summary>Gets how many books the two-process test runs.</summary>
    protected abstract int BookCount { get; }

    /// <summary>Gets the connection string of a fresh, empty database.</summary>
    protected string ConnectionString { get; private set; } = null!;

    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract void AddStore(IBookBytesBuilder builder, string connectionString);

    /// <summary>Gets the schema version of the database, read by a new store instance.</summary>
    protected abstract Task<int> GetSchemaVersionAsync(string connectionString);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_storageRoot);
        ConnectionString = await CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        try
        {
            Directory.Delete(_storageRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Two_worker_processes_share_the_books_and_speak_each_chapter_exactly_once()
    {
        using var openAi = new FakeOpenAi(TimeSpan.Zero);
        string[] settings = ["--BookBytes:Jobs:MaxConcurrentJobs=6", "--BookBytes:Jobs:PollInterval=00:00:00.100"];

        // Both nodes are up before the books arrive, so neither can finish them all before the other starts.
        var workers = await Task.WhenAll(
            WorkerProcess.StartAsync(StoreName, ConnectionString, openAi, _storageRoot, settings),
            WorkerProcess.StartAsync(StoreName, ConnectionString, openAi, _storageRoot, settings));
        using var first = workers[0];
        using var second = workers[1];
        var (jobs, books) = await EnqueueBooksAsync(openAi, BookCount, chaptersPerBook: 3);
        await WaitForJobsAsync(jobs, TimeSpan.FromSeconds(90), first, second);

        var speech = openAi.SpeechRequestsByChapter();
        speech.Should().HaveCount(BookCount * 3);
        speech.Values.Should().OnlyContain(count => count == 1, "each chapter is synthesized exactly once across both nodes");
        var store = Api.GetRequiredService<IAudioBookStore>();
        foreach (var bookId in books)
        {
            (await store.GetAudioBookAsync(bookId))!.Status.Should().Be(AudioBookStatus.Completed);
            var chapters = await store.GetChaptersAsync(bookId, 1);
            chapters.Should().HaveCount(3).And.OnlyContain(c => c.Status == ChapterStatus.Completed && File.Exists(Path.Combine(_storageRoot, c.AudioKey!)));
        }

        first.StartedJobs.Should().NotBeEmpty("both nodes take work");
        second.StartedJobs.Should().NotBeEmpty("both nodes take work");
        first.StartedJobs.Concat(second.StartedJobs).Should().OnlyHaveUniqueItems().And.HaveCount(BookCount);
    }

    [Fact]
    public async Task Two_worker_processes_starting_together_on_an_empty_database_both_migrate_and_start()
    {
        using var openAi = new FakeOpenAi(TimeSpan.Zero);

        var started = await Task.WhenAll(
            WorkerProcess.StartAsync(StoreName, ConnectionString, openAi, _storageRoot),
            WorkerProcess.StartAsync(StoreName, ConnectionString, openAi, _storageRoot));

        (await GetSchemaVersionAsync(ConnectionString)).Should().Be(5);
        foreach (var worker in started)
        {
            worker.Output.Should().Contain("WORKER READY");
            worker.Dispose();
        }
    }

    [Fact]
    public async Task A_worker_killed_mid_book_is_replaced_and_no_stored_chapter_is_spoken_again()
    {
        using var openAi = new FakeOpenAi(TimeSpan.FromMilliseconds(600));
        var (jobs, books) = await EnqueueBooksAsync(openAi, books: 2, chaptersPerBook: 4);
        string[] settings =
        [
            "--BookBytes:Jobs:MaxConcurrentJobs=2", "--BookBytes:Tts:MaxConcurrency=1",
            "--BookBytes:Jobs:LeaseDuration=00:00:02", "--BookBytes:Jobs:PollInterval=00:00:00.200",
        ];
        var store = Api.GetRequiredService<IAudioBookStore>();

        var victim = await WorkerProcess.StartAsync(StoreName, ConnectionString, openAi, _storageRoot, settings);
        var storedBeforeKill = await WaitForFirstStoredChapterAsync(store, books, TimeSpan.FromSeconds(60));
        victim.Kill();
        var writtenBeforeKill = storedBeforeKill.ToDictionary(c => c.AudioKey!, c => File.GetLastWriteTimeUtc(Path.Combine(_storageRoot, c.AudioKey!)));
        var jobStore = Api.GetRequiredService<IJobStore>();
        var inFlight = (await jobStore.ListAsync(JobStatus.Processing)).Select(j => j.Id).ToList();
        // Only the victim's lease is short (so its jobs come free soon); the successor's is long, so none of its
        // idle workers can take a job back from a busy one whose heartbeat is late on a loaded machine.
        string[] successorSettings = [.. settings.Where(s => !s.StartsWith("--BookBytes:Jobs:LeaseDuration", StringComparison.Ordinal)), "--BookBytes:Jobs:LeaseDuration=00:02:00"];
        using var successor = await WorkerProcess.StartAsync(StoreName, ConnectionString, openAi, _storageRoot, successorSettings);
        await WaitForJobsAsync(jobs, TimeSpan.FromSeconds(90), victim, successor);

        inFlight.Should().NotBeEmpty("the victim was killed mid-book");
        successor.StartedJobs.Should().Contain(inFlight, "the successor reclaims the dead worker's jobs once their leases expire");
        foreach (var jobId in inFlight)
        {
            var rescued = (await jobStore.GetAsync(jobId))!;
            rescued.Attempt.Should().Be(1, "the crash did not use up an attempt");
            rescued.Rescues.Should().Be(1);
        }

        var speech = openAi.SpeechRequestsByChapter();
        speech.Should().HaveCount(2 * 4);
        foreach (var chapter in storedBeforeKill)
        {
            speech[Marker(chapter)].Should().Be(1, "a chapter stored before the crash is never synthesized again");
            File.GetLastWriteTimeUtc(Path.Combine(_storageRoot, chapter.AudioKey!)).Should().Be(writtenBeforeKill[chapter.AudioKey!], "its audio is not written again");
        }

        // A chapter whose speech call was in flight at the kill may be asked for again: its audio was never recorded.
        speech.Values.Should().OnlyContain(count => count >= 1 && count <= 2);
        foreach (var bookId in books)
        {
            (await store.GetAudioBookAsync(bookId))!.Status.Should().Be(AudioBookStatus.Completed);
            (await store.GetChaptersAsync(bookId, 1)).Should().HaveCount(4).And.OnlyContain(c => c.Status == ChapterStatus.Completed);
        }

        victim.Dispose();
    }

    [Fact]
    public async Task A_job_cancelled_on_the_api_node_stops_on_the_worker_process_within_seconds_and_calls_no_provider_again()
    {
        using var openAi = new FakeOpenAi(TimeSpan.FromMilliseconds(700));
        var (jobs, books) = await EnqueueBooksAsync(openAi, books: 1, chaptersPerBook: 8);
        var store = Api.GetRequiredService<IAudioBookStore>();
        var processing = Api.GetRequiredService<ProcessingService>();
        using var worker = await WorkerProcess.StartAsync(
            StoreName, ConnectionString, openAi, _storageRoot, "--BookBytes:Tts:MaxConcurrency=1", "--BookBytes:Jobs:CancelCheckInterval=00:00:00.500");
        var stored = await WaitForFirstStoredChapterAsync(store, books, TimeSpan.FromSeconds(60));

        var cancelled = await processing.CancelJobAsync(jobs[0]);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!worker.Output.Contains("was cancelled", StringComparison.Ordinal))
        {
            await Task.Delay(50, deadline.Token);
        }

        // A speech call in flight at the cancel may still be answered; after that, none is asked for.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var callsAfterStop = openAi.SpeechRequestsByChapter().Values.Sum();
        await Task.Delay(TimeSpan.FromSeconds(3));

        cancelled.Job.Status.Should().Be(JobStatus.Cancelled);
        openAi.SpeechRequestsByChapter().Values.Sum().Should().Be(callsAfterStop, "the worker makes no provider call once it has stopped the cancelled job");
        callsAfterStop.Should().BeLessThan(8, "the book was cancelled before all its chapters were spoken");
        (await Api.GetRequiredService<IJobStore>().GetAsync(jobs[0]))!.Status.Should().Be(JobStatus.Cancelled);
        var book = (await store.GetAudioBookAsync(books[0]))!;
        book.Status.Should().Be(AudioBookStatus.PartiallyCompleted);
        (await store.GetChaptersAsync(books[0], 1)).Count(c => c.Status == ChapterStatus.Completed).Should().BeGreaterThanOrEqualTo(stored.Count, "what was stored is kept");
    }

    [Fact]
    public async Task A_worker_killed_while_packaging_is_replaced_and_the_book_is_packaged_whole_once()
    {
        using var openAi = new FakeOpenAi(TimeSpan.Zero);
        // The victim's ffmpeg takes its time, so the kill lands while the packaging job runs; the successor's is Debian's own.
        var slowFfmpeg = Path.Combine(_storageRoot, "..", $"slow-ffmpeg-{Guid.NewGuid():N}");
        // Its encoder listing answers at once: only the work waits.
        await File.WriteAllTextAsync(slowFfmpeg, "#!/bin/sh\ncase \"$*\" in *-encoders*) ;; *) sleep 30 ;; esac\nexec ffmpeg \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(slowFfmpeg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string[] settings =
        [
            "--WorkerHost:Packaging=true", "--BookBytes:Jobs:PackagingDelay=00:00:00", "--BookBytes:Jobs:PollInterval=00:00:00.200",
        ];
        var (jobs, books) = await EnqueueBooksAsync(openAi, books: 1, chaptersPerBook: 3);
        var store = Api.GetRequiredService<IAudioBookStore>();
        var jobStore = Api.GetRequiredService<IJobStore>();

        try
        {
            var victim = await WorkerProcess.StartAsync(
                StoreName, ConnectionString, openAi, _storageRoot, [.. settings, "--BookBytes:Jobs:LeaseDuration=00:00:02", $"--BookBytes:Packaging:FfmpegPath={slowFfmpeg}"]);
            await WaitForJobsAsync(jobs, TimeSpan.FromSeconds(90), victim);
            var packaging = await WaitForProcessingPackagingAsync(store, jobStore, books[0], TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(1));
            victim.Kill();
            using var successor = await WorkerProcess.StartAsync(StoreName, ConnectionString, openAi, _storageRoot, [.. settings, "--BookBytes:Jobs:LeaseDuration=00:02:00"]);
            await WaitForJobsAsync([packaging], TimeSpan.FromSeconds(90), victim, successor);

            var rescued = (await jobStore.GetAsync(packaging))!;
            rescued.Attempt.Should().Be(1, "the crash did not use up an attempt");
            rescued.Rescues.Should().Be(1);
            successor.StartedJobs.Should().Contain(packaging);
            var book = (await store.GetAudioBookAsync(books[0]))!;
            book.Package.Should().NotBeNull();
            book.Package!.Complete.Should().BeTrue();
            book.Package.Chapters.Should().Equal(1, 2, 3);
            foreach (var file in book.Package.Files)
            {
                var path = Path.Combine(_storageRoot, file.Key);
                new FileInfo(path).Length.Should().Be(file.SizeBytes, "the stored file is the one recorded");
                (await ChapterMarksAsync(path)).Should().Be(3, $"the {file.Format} has a chapter mark per chapter");
            }

            (await store.GetJobIdsForAudioBookAsync(books[0])).Should().HaveCount(2, "one generation job and the one packaging job it enqueued");
            victim.Dispose();
        }
        finally
        {
            File.Delete(slowFfmpeg);
        }
    }

    [Fact]
    public async Task A_worker_killed_mid_chapter_is_replaced_and_no_stored_segment_is_spoken_again()
    {
        using var openAi = new FakeOpenAi(TimeSpan.FromMilliseconds(500));
        var (jobs, books) = await EnqueueBooksAsync(openAi, books: 1, chaptersPerBook: 2);
        // Chunks of about a sentence, spoken one at a time: each chapter is a few segments stored over a few seconds.
        string[] settings =
        [
            "--BookBytes:Tts:MaxConcurrency=1", "--BookBytes:Tts:ChunkCharacters=100",
            "--BookBytes:Jobs:LeaseDuration=00:00:02", "--BookBytes:Jobs:PollInterval=00:00:00.200",
        ];
        var store = Api.GetRequiredService<IAudioBookStore>();
        var manifest = Path.Combine(_storageRoot, $"audiobooks/{books[0]:D}/v1/chapter-001/segments.json");

        var victim = await WorkerProcess.StartAsync(StoreName, ConnectionString, openAi, _storageRoot, settings);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (!(SegmentTexts(manifest).Count >= 2 && (await store.GetChaptersAsync(books[0], 1)).Any(c => c.Number == 1 && c.Status == ChapterStatus.Summarized)))
            {
                await Task.Delay(20, wait.Token);
            }
        }

        victim.Kill();
        var kept = SegmentTexts(manifest);
        var spokenBeforeKill = openAi.SpeechInputs();
        string[] successorSettings = [.. settings.Where(s => !s.StartsWith("--BookBytes:Jobs:LeaseDuration", StringComparison.Ordinal)), "--BookBytes:Jobs:LeaseDuration=00:02:00"];
        using var successor = await WorkerProcess.StartAsync(StoreName, ConnectionString, openAi, _storageRoot, successorSettings);
        await WaitForJobsAsync(jobs, TimeSpan.FromSeconds(90), victim, successor);

        kept.Should().HaveCountGreaterThanOrEqualTo(2);
        var inputs = openAi.SpeechInputs();
        foreach (var text in kept)
        {
            inputs.Count(i => i == text).Should().Be(1, $"the segment \"{text}\" was stored before the crash and is never spoken again");
        }

        inputs.Count.Should().BeGreaterThan(spokenBeforeKill.Count, "the successor spoke what was missing");
        var chapters = await store.GetChaptersAsync(books[0], 1);
        chapters.Should().HaveCount(2).And.OnlyContain(c => c.Status == ChapterStatus.Completed);
        var first = chapters.Single(c => c.Number == 1);
        new FileInfo(Path.Combine(_storageRoot, first.AudioKey!)).Length.Should().Be(first.AudioSizeBytes!.Value);
        File.Exists(manifest).Should().BeFalse("the segments and their list go once the chapter is stored");
        victim.Dispose();
    }

    /// <summary>The texts of the segments a chapter's segment list names; none when it has no list (yet, or any more).</summary>
    private static List<string> SegmentTexts(string manifest)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(manifest));
            return [.. json.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("text").GetString()!)];
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            return [];
        }
    }

    /// <summary>How many chapter marks Debian's ffprobe reads from the file.</summary>
    private static async Task<int> ChapterMarksAsync(string path)
    {
        var info = new System.Diagnostics.ProcessStartInfo("ffprobe", ["-v", "error", "-show_chapters", "-of", "json", path]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        return json.RootElement.GetProperty("chapters").GetArrayLength();
    }

    private static async Task<Guid> WaitForProcessingPackagingAsync(IAudioBookStore store, IJobStore jobs, Guid audioBookId, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            foreach (var id in await store.GetJobIdsForAudioBookAsync(audioBookId))
            {
                if (await jobs.GetAsync(id) is { Type: var type, Status: JobStatus.Processing } && type == JobKind.AudiobookPackaging)
                {
                    return id;
                }
            }

            cts.Token.ThrowIfCancellationRequested();
            await Task.Delay(50, cts.Token);
        }
    }

    private ServiceProvider Api => _api ?? throw new InvalidOperationException("No API node yet.");

    private static string Marker(Chapter chapter) => chapter.Title["Chapter ".Length..];

    private async Task<(List<Guid> Jobs, List<Guid> Books)> EnqueueBooksAsync(FakeOpenAi openAi, int books, int chaptersPerBook)
    {
        // This process is an API-only node: it enqueues, the worker processes run the jobs.
        var services = new ServiceCollection();
        var builder = services.AddBookBytes(o =>
        {
            o.Worker.Enabled = false;
            o.Summary.Words = 60;
        });
        AddStore(builder, ConnectionString);
        builder.AddOpenAI(o =>
        {
            o.Endpoint = new Uri(openAi.Endpoint);
            o.ApiKey = "test";
        });
        _api = services.BuildServiceProvider();
        var store = _api.GetRequiredService<IAudioBookStore>();
        var processing = _api.GetRequiredService<ProcessingService>();

        var jobs = new List<Guid>();
        var audioBooks = new List<Guid>();
        for (var b = 0; b < books; b++)
        {
            var edition = await store.UpsertEditionAsync(new Edition
            {
                Id = Guid.CreateVersion7(),
                Isbn13 = TestIsbn.Create(b).Value,
                Title = $"Book {b}",
                Authors = ["Ada Author"],
                TableOfContents = [.. Enumerable.Range(1, chaptersPerBook).Select(c => new TableOfContentsEntry(FakeOpenAi.ChapterTitle(b, c)))],
            });
            var started = await processing.StartProcessingAsync(edition.Id);
            jobs.Add(started.Job.Id);
            audioBooks.Add(started.AudioBook.Id);
        }

        return (jobs, audioBooks);
    }

    private async Task WaitForJobsAsync(List<Guid> jobIds, TimeSpan timeout, params WorkerProcess[] workers)
    {
        var jobs = Api.GetRequiredService<IJobStore>();
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var states = await Task.WhenAll(jobIds.Select(id => jobs.GetAsync(id)));
            if (states.All(j => j!.IsTerminal))
            {
                states.Should().OnlyContain(j => j!.Status == JobStatus.Completed, "no job is lost or failed; worker output:\n" + string.Join("\n---\n", workers.Select(w => w.Output)));
                return;
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"{states.Count(j => !j!.IsTerminal)} jobs unfinished. Worker output:\n" + string.Join("\n---\n", workers.Select(w => w.Output)));
            }

            await Task.Delay(100);
        }
    }

    private static async Task<List<Chapter>> WaitForFirstStoredChapterAsync(IAudioBookStore store, List<Guid> books, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var chapters = (await Task.WhenAll(books.Select(b => store.GetChaptersAsync(b, 1)))).SelectMany(c => c).ToList();
            var stored = chapters.Where(c => c.Status == ChapterStatus.Completed).ToList();
            if (stored.Count > 0)
            {
                return stored;
            }

            cts.Token.ThrowIfCancellationRequested();
            await Task.Delay(25, cts.Token);
        }
    }
}
