using System.Diagnostics;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.Pipeline.Stores;
using BookBytes.Storage;
using BookBytes.Tts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BookBytes.Benchmarks.Pipeline;

internal static class Scenarios
{
    private static readonly Isbn Book = Isbn.Parse("9780306406157");

    /// <summary>P1: scheduling overhead. Ideal: outline 0.5 s + 5 waves of 4 summaries × 0.5 s + last speech 0.3 s = 3.3 s.</summary>
    public static async Task P1OverheadAsync()
    {
        const double ideal = 3.3;
        var ratios = new List<double>();
        for (var run = 0; run < 6; run++)
        {
            var (wall, _) = await RunBookAsync(
                new LatencyLlm(20, TimeSpan.FromMilliseconds(500), 0, 60),
                new LatencyTts(TimeSpan.FromMilliseconds(300), 0, 16 * 1024),
                o =>
                {
                    o.Llm.MaxConcurrency = 4;
                    o.Tts.MaxConcurrency = 4;
                    o.Summary.Words = 60;
                });
            if (run > 0)
            {
                ratios.Add(wall.TotalSeconds / ideal);
            }
        }

        Console.WriteLine($"P1 overhead: wall/ideal over 5 runs (after 1 warm-up) = {string.Join(", ", ratios.Select(r => r.ToString("F3")))}; median {Median(ratios):F3} (goal ≤ 1.05)");
    }

    /// <summary>P1b: realistic latency model, 20 chapters of 500 words, no table of contents.</summary>
    public static async Task P1bRealisticAsync()
    {
        var (wall, first) = await RunBookAsync(
            new LatencyLlm(20, TimeSpan.FromMilliseconds(400), 100, 500),
            new LatencyTts(TimeSpan.FromMilliseconds(300), 100, 64 * 1024),
            o =>
            {
                o.Llm.MaxConcurrency = 8;
                o.Tts.MaxConcurrency = 16;
                o.Tts.ChunkCharacters = 1500;
                o.Summary.Words = 500;
            });
        var characters = LatencyLlm.Summary(1, 500).Length;
        Console.WriteLine($"P1b realistic: book {wall.TotalSeconds:F1} s (goal ≤ 60 s), first chapter playable {first.TotalSeconds:F1} s (goal ≤ 25 s); summary ≈ {characters} characters");
    }

    /// <summary>Runner throughput with no-op jobs on the in-memory store.</summary>
    public static async Task RunnerThroughputAsync()
    {
        const int jobs = 200_000;
        var rates = new List<double>();
        for (var run = 0; run < 4; run++)
        {
            var store = new InMemoryBookBytesStore();
            var counter = new CompletionCounter(store, jobs);
            var services = new ServiceCollection();
            services.AddBookBytes(o => o.Jobs.PollInterval = TimeSpan.FromMilliseconds(5));
            services.AddSingleton<IJobStore>(counter);
            services.AddSingleton<IJobHandler, NoOpProcessor>();
            await using var provider = services.BuildServiceProvider();
            for (var i = 0; i < jobs; i++)
            {
                await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
            }

            var runner = provider.GetRequiredService<IHostedService>();
            var clock = Stopwatch.StartNew();
            await runner.StartAsync(CancellationToken.None);
            await counter.Done.Task;
            clock.Stop();
            await runner.StopAsync(CancellationToken.None);
            if (run > 0)
            {
                rates.Add(jobs / clock.Elapsed.TotalSeconds);
            }
        }

        Console.WriteLine($"Runner throughput (no-op jobs, in-memory store, 4 workers): {string.Join(", ", rates.Select(r => r.ToString("N0")))} jobs/s; median {Median(rates):N0} (goal ≥ 50,000)");
    }

    /// <summary>P3: peak managed memory for a 100-chapter vs a 10-chapter book, 1 MB of audio per chapter.</summary>
    public static async Task P3MemoryAsync()
    {
        var peaks = new Dictionary<int, long>();
        var livePeaks = new Dictionary<int, long>();
        foreach (var chapters in new[] { 10, 100, 10, 100 })
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            long peak = 0;
            long livePeak = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(() =>
            {
                var tick = 0;
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(false));

                    // Every 10 ms a full collection: what survives it is what the pipeline keeps alive.
                    if (++tick % 10 == 0)
                    {
                        livePeak = Math.Max(livePeak, GC.GetTotalMemory(forceFullCollection: true));
                    }

                    Thread.Sleep(1);
                }
            });
            await RunBookAsync(
                new LatencyLlm(chapters, TimeSpan.FromMilliseconds(50), 0, 60),
                new LatencyTts(TimeSpan.FromMilliseconds(200), 0, 1024 * 1024),
                o => o.Summary.Words = 60);
            await sampling.CancelAsync();
            await sampler;
            peaks[chapters] = peak - baseline;
            livePeaks[chapters] = Math.Max(0, livePeak - baseline);
        }

        Console.WriteLine($"P3 memory, peak live heap (sampled by a full collection every 10 ms), above baseline: 10 chapters {livePeaks[10] / 1048576.0:F1} MiB, 100 chapters {livePeaks[100] / 1048576.0:F1} MiB; ratio {livePeaks[100] / (double)livePeaks[10]:F2} (goal ≤ 1.2)");
        Console.WriteLine($"P3 memory, peak heap sampled every 1 ms incl. uncollected garbage, above baseline: 10 chapters {peaks[10] / 1048576.0:F1} MiB, 100 chapters {peaks[100] / 1048576.0:F1} MiB; ratio {peaks[100] / (double)peaks[10]:F2}");
    }

    private static async Task<(TimeSpan Wall, TimeSpan FirstChapter)> RunBookAsync(ILlmProvider llm, ITtsProvider tts, Action<BookBytesOptions> configure)
    {
        var store = new InMemoryBookBytesStore();
        var services = new ServiceCollection();
        services.AddBookBytes(configure);
        services.AddSingleton<IJobStore>(store);
        services.AddSingleton<IAudioBookStore>(store);
        services.AddSingleton(llm);
        services.AddSingleton(tts);
        services.AddSingleton<IStorageBackend, DiscardingStorage>();
        services.AddSingleton<IBookCatalog, AnyBookCatalog>();
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<IHostedService>();
        await runner.StartAsync(CancellationToken.None);
        var processing = provider.GetRequiredService<ProcessingService>();
        var edition = await processing.LookupAsync(Book);

        var clock = Stopwatch.StartNew();
        var started = await processing.StartProcessingAsync(edition.Id);
        TimeSpan? first = null;
        while (true)
        {
            var job = await store.GetAsync(started.Job.Id);
            if (first is null && (await store.GetChaptersAsync(started.AudioBook.Id, 1)).Any(c => c.Status == ChapterStatus.Completed))
            {
                first = clock.Elapsed;
            }

            if (job!.IsTerminal)
            {
                if (job.Status != JobStatus.Completed)
                {
                    throw new InvalidOperationException($"The benchmark book failed: {job.ErrorMessage}");
                }

                break;
            }

            await Task.Delay(1);
        }

        var wall = clock.Elapsed;
        await runner.StopAsync(CancellationToken.None);
        return (wall, first ?? wall);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
