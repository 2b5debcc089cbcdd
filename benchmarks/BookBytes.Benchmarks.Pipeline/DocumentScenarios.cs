using System.Runtime.CompilerServices;
using System.Text;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline;
using BookBytes.Pipeline.Processing;
using BookBytes.Pipeline.Stores;
using BookBytes.Storage;
using BookBytes.Tts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BookBytes.Benchmarks.Pipeline;

/// <summary>
/// Issue 15: a document edition narrated (every word through the chunker, no model) and summarised from its text, against
/// latency models of the providers. Bounds are computed from the calls the models actually received.
/// </summary>
internal static class DocumentScenarios
{
    private const int LlmSlots = 8;
    private const int TtsSlots = 16;

    /// <summary>Narration of 40 × 5,000 words (wall ÷ the speech schedule's bound, peak live heap) against 4 × 5,000 words (peak live heap).</summary>
    public static async Task NarrationAsync()
    {
        var request = new AudioBookRequest { Mode = AudioBookMode.Narration };
        void Configure(BookBytesOptions o) => o.Tts.MaxConcurrency = TtsSlots;

        // The small book first (a warm-up that is measured too), the large one, the small one again.
        var small1 = await RunAsync(4, 5_000, request, Configure, sampleMemory: true);
        ReportNarration("20k words (1st)", small1);
        var large = await RunAsync(40, 5_000, request, Configure, sampleMemory: true);
        ReportNarration("200k words", large);
        var small2 = await RunAsync(4, 5_000, request, Configure, sampleMemory: true);
        ReportNarration("20k words (2nd)", small2);
        var small = Math.Max(small1.LivePeak, small2.LivePeak);
        Console.WriteLine(
            $"Narration memory, peak live heap above the settled idle process (full collection every 10 ms): 20k words {Mib(small1.LivePeak):F1} / {Mib(small2.LivePeak):F1} MiB, "
            + $"200k words {Mib(large.LivePeak):F1} MiB; ratio 200k ÷ larger 20k {large.LivePeak / (double)small:F2}, ÷ smaller 20k {large.LivePeak / (double)Math.Min(small1.LivePeak, small2.LivePeak):F2} (goal ≤ 1.2)");
    }

    /// <summary>Summaries of the 40 × 5,000-word book from its text, whole chapters per call or (with a small input budget) in parts then combined.</summary>
    public static async Task GroundedAsync(int? maxInputTokens)
    {
        var request = new AudioBookRequest { Mode = AudioBookMode.Summary, SummaryWords = 500 };
        void Configure(BookBytesOptions o)
        {
            o.Llm.MaxConcurrency = LlmSlots;
            o.Tts.MaxConcurrency = TtsSlots;
            if (maxInputTokens is int budget)
            {
                o.Llm.MaxInputTokens = budget;
            }
        }

        var run = await RunAsync(40, 5_000, request, Configure, sampleMemory: false);
        ReportGrounded(maxInputTokens is null ? "whole chapters (MaxInputTokens default)" : $"MaxInputTokens {maxInputTokens}", run);
    }

    private static void ReportNarration(string name, DocumentRun run)
    {
        if (run.Calls.Any(c => c.Chapter > 0))
        {
            throw new InvalidOperationException("A narration asked the language model.");
        }

        var speech = run.Calls.Where(c => c.Chapter == 0).ToList();
        var work = speech.Sum(c => c.Nominal);
        var bound = Math.Max(work / TtsSlots, speech.Max(c => c.Nominal));
        var characters = speech.Sum(c => (long)c.Characters);
        Console.WriteLine(
            $"Narration {name}: {speech.Count} speech calls, {characters:N0} characters (chunks {speech.Min(c => c.Characters)}–{speech.Max(c => c.Characters)}, mean {characters / (double)speech.Count:F0}); "
            + $"speech work {work:F1} s ÷ {TtsSlots} = bound {bound:F1} s; wall {run.Wall:F1} s; wall ÷ bound {run.Wall / bound:F3} (goal ≤ 1.05)");
        var ideal = Makespan(speech.Select(c => (0.0, c.Nominal)), TtsSlots);
        Console.WriteLine($"  ideal list schedule of the same calls in the same order (indivisible calls, no overhead) {ideal:F1} s; wall ÷ ideal {run.Wall / ideal:F3}");
        Console.WriteLine($"  first speech call at {speech.Min(c => c.Start) - run.Start:F2} s, last one ends at {speech.Max(c => c.End) - run.Start:F2} s; {Utilisation(speech, run, TtsSlots)}");
        Console.WriteLine($"  TTS in flight by tenths of the wall time: {Profile(speech, run, 10)}");
        Console.WriteLine($"  memory above idle: live peak {Mib(run.LivePeak):F1} MiB, peak incl. garbage (every 1 ms) {Mib(run.Peak):F1} MiB");
    }

    private static void ReportGrounded(string name, DocumentRun run)
    {
        var llm = run.Calls.Where(c => c.Chapter > 0).ToList();
        var speech = run.Calls.Where(c => c.Chapter == 0).ToList();
        var summaries = llm.Where(c => c.Scope != SummaryScope.Part).GroupBy(c => c.Chapter).ToDictionary(g => g.Key, g => g.Last().Text);
        var chapterOf = speech.ToDictionary(c => c, c => summaries.Single(s => s.Value.Contains(c.Text, StringComparison.Ordinal)).Key);

        // Per chapter: its model time (the longest part, then the combination; or its one call) and its longest speech call.
        var chapters = llm.GroupBy(c => c.Chapter).Select(g => new
        {
            Chapter = g.Key,
            Llm = g.Where(c => c.Scope == SummaryScope.Part).Select(c => c.Nominal).DefaultIfEmpty(0).Max() + g.Where(c => c.Scope != SummaryScope.Part).Sum(c => c.Nominal),
            Speech = speech.Where(c => chapterOf[c] == g.Key).Max(c => c.Nominal),
            Summarised = g.Max(c => c.End) - run.Start,
        }).ToList();
        var llmWork = llm.Sum(c => c.Nominal);
        var speechWork = speech.Sum(c => c.Nominal);
        var byLlm = (llmWork / LlmSlots) + chapters.Min(c => c.Speech);
        var bySpeech = chapters.Min(c => c.Llm) + (speechWork / TtsSlots);
        var byChapter = chapters.Max(c => c.Llm + c.Speech);
        var bound = Math.Max(byLlm, Math.Max(bySpeech, byChapter));
        Console.WriteLine(
            $"Grounded, {name}: {llm.Count} LLM calls ({llm.Count(c => c.Scope == SummaryScope.Part)} parts, {llm.Count(c => c.Scope == SummaryScope.Combination)} combinations), "
            + $"LLM work {llmWork:F1} s; {speech.Count} speech calls ({speech.Sum(c => (long)c.Text.Length):N0} characters), speech work {speechWork:F1} s");
        Console.WriteLine(
            $"  bound = max(LLM work/{LlmSlots} + shortest chapter speech tail = {byLlm:F1}, first chapter's summary + speech work/{TtsSlots} = {bySpeech:F1}, longest chapter path = {byChapter:F1}) = {bound:F1} s; "
            + $"wall {run.Wall:F1} s; wall ÷ bound {run.Wall / bound:F3}");
        var ideal = IdealSchedule(llm, [.. speech.Select(c => (chapterOf[c], c.Nominal))], LlmSlots, TtsSlots);
        Console.WriteLine($"  ideal list schedule of the same calls (indivisible calls, no overhead) {ideal:F1} s; wall ÷ ideal {run.Wall / ideal:F3}");
        Console.WriteLine($"  first summary done at {chapters.Min(c => c.Summarised):F1} s, last at {chapters.Max(c => c.Summarised):F1} s; first speech call at {speech.Min(c => c.Start) - run.Start:F1} s, last ends at {speech.Max(c => c.End) - run.Start:F1} s");
        Console.WriteLine($"  LLM: {Utilisation(llm, run, LlmSlots)}; TTS: {Utilisation(speech, run, TtsSlots)}");
        Console.WriteLine($"  LLM in flight by tenths of the wall time: {Profile(llm, run, 10)}");
        Console.WriteLine($"  TTS in flight by tenths of the wall time: {Profile(speech, run, 10)}");
    }

    /// <summary>
    /// The makespan of an ideal list schedule of the same calls with their modelled durations: model calls on
    /// <paramref name="llmSlots"/> slots (a chapter's combination as soon as its parts are done, else parts and chapters in
    /// chapter order), speech calls on <paramref name="ttsSlots"/> slots as soon as their chapter's summary is done (in that
    /// order), no overhead. Unlike the divisible-work bound it counts that calls cannot be split.
    /// </summary>
    private static double IdealSchedule(List<Call> llm, List<(int Chapter, double Nominal)> speech, int llmSlots, int ttsSlots)
    {
        var chapterDone = new Dictionary<int, double>();
        var partsDone = new Dictionary<int, double>();
        var pending = llm.OrderBy(c => c.Chapter).ThenBy(c => c.Scope == SummaryScope.Part ? 0 : 1).ToList();
        var slots = new PriorityQueue<int, double>();
        for (var i = 0; i < llmSlots; i++)
        {
            slots.Enqueue(i, 0);
        }

        while (pending.Count > 0)
        {
            slots.TryDequeue(out var slot, out var free);
            bool Ready(Call c) => c.Scope == SummaryScope.Part || !pending.Any(p => p.Chapter == c.Chapter && p.Scope == SummaryScope.Part && !ReferenceEquals(p, c));
            var next = pending.Where(c => c.Scope == SummaryScope.Combination && Ready(c) && partsDone.GetValueOrDefault(c.Chapter) <= free).FirstOrDefault()
                ?? pending.FirstOrDefault(c => c.Scope == SummaryScope.Part || (Ready(c) && partsDone.GetValueOrDefault(c.Chapter) <= free));
            if (next is null)
            {
                // Only combinations whose parts are still running: wait for the earliest.
                var wait = pending.Where(Ready).Min(c => partsDone.GetValueOrDefault(c.Chapter));
                slots.Enqueue(slot, Math.Max(free, wait));
                continue;
            }

            pending.Remove(next);
            var end = free + next.Nominal;
            if (next.Scope == SummaryScope.Part)
            {
                partsDone[next.Chapter] = Math.Max(partsDone.GetValueOrDefault(next.Chapter), end);
            }
            else
            {
                chapterDone[next.Chapter] = Math.Max(chapterDone.GetValueOrDefault(next.Chapter), end);
            }

            slots.Enqueue(slot, end);
        }

        return Makespan(speech.Select(s => (chapterDone[s.Chapter], s.Nominal)).OrderBy(s => s.Item1), ttsSlots);
    }

    /// <summary>Calls started in the given order on the first free slot, each no earlier than it is ready.</summary>
    private static double Makespan(IEnumerable<(double Ready, double Nominal)> calls, int slots)
    {
        var free = new PriorityQueue<int, double>();
        for (var i = 0; i < slots; i++)
        {
            free.Enqueue(i, 0);
        }

        double makespan = 0;
        foreach (var (ready, nominal) in calls)
        {
            free.TryDequeue(out var slot, out var at);
            var end = Math.Max(at, ready) + nominal;
            makespan = Math.Max(makespan, end);
            free.Enqueue(slot, end);
        }

        return makespan;
    }

    private static string Utilisation(List<Call> calls, DocumentRun run, int slots)
    {
        var busy = calls.Sum(c => c.End - c.Start);
        return $"slots busy {busy:F0} of {slots * run.Wall:F0} slot-seconds ({busy / (slots * run.Wall):P1}); calls took {calls.Sum(c => c.End - c.Start - c.Nominal) / calls.Count * 1000:F1} ms longer than modelled on average";
    }

    private static string Profile(List<Call> calls, DocumentRun run, int buckets)
    {
        var text = new StringBuilder();
        var width = run.Wall / buckets;
        for (var b = 0; b < buckets; b++)
        {
            var from = run.Start + (b * width);
            var to = from + width;
            var busy = calls.Sum(c => Math.Max(0, Math.Min(c.End, to) - Math.Max(c.Start, from)));
            text.Append(b == 0 ? "" : " ").Append((busy / width).ToString("F1"));
        }

        return text.ToString();
    }

    private static double Mib(long bytes) => bytes / 1048576.0;

    private static async Task<DocumentRun> RunAsync(int chapters, int words, AudioBookRequest request, Action<BookBytesOptions> configure, bool sampleMemory)
    {
        var log = new CallLog();
        var store = new InMemoryBookBytesStore();
        var services = new ServiceCollection();
        services.AddBookBytes(configure);
        services.AddSingleton<IJobStore>(store);
        services.AddSingleton<IAudioBookStore>(store);
        // Registered for narration too (where it must receive no call): without a language model the job runner claims no
        // audiobook job at all (AudioBookProviders.MissingForJobs lists it for every mode), and a narration stays Pending.
        services.AddSingleton<ILlmProvider>(new ModelLlm(log));

        services.AddSingleton<ITtsProvider>(new ModelTts(log, keepText: !sampleMemory));
        services.AddSingleton<IStorageBackend, DocumentStorage>();
        services.AddSingleton<IBookCatalog, AnyBookCatalog>();
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<IHostedService>();
        await runner.StartAsync(CancellationToken.None);
        var processing = provider.GetRequiredService<ProcessingService>();
        var editionId = await AddBookAsync(processing, chapters, words);

        // Idle: the services built and the document stored (in production its files are in external storage, not this heap).
        // The upload's pooled buffers (ArrayPool, sized by the largest file written) stay counted as live until the pools trim
        // them, over the next half minute; the baseline is taken once they have settled, so it is the idle process's.
        var baseline = long.MaxValue;
        if (sampleMemory)
        {
            for (var i = 0; i < 45; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                baseline = Math.Min(baseline, GC.GetTotalMemory(forceFullCollection: true));
                await Task.Delay(1000);
            }
        }
        else
        {
            baseline = GC.GetTotalMemory(forceFullCollection: true);
        }

        long peak = 0;
        long livePeak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = !sampleMemory ? Task.CompletedTask : Task.Run(() =>
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

        var start = log.Now;
        var started = await processing.StartProcessingAsync(editionId, request);
        while (true)
        {
            var job = await store.GetAsync(started.Job.Id);
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

        var wall = log.Now - start;
        await sampling.CancelAsync();
        await sampler;
        await runner.StopAsync(CancellationToken.None);
        var book = await store.GetAudioBookAsync(started.AudioBook.Id);
        if (book!.Status != AudioBookStatus.Completed)
        {
            throw new InvalidOperationException($"The audiobook is {book.Status}: {book.ErrorMessage}");
        }

        return new DocumentRun(start, wall, log.Calls, Math.Max(0, livePeak - baseline), Math.Max(0, peak - baseline));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<Guid> AddBookAsync(ProcessingService processing, int chapters, int words)
    {
        var document = Prose.Book(chapters, words);
        var file = Encoding.UTF8.GetBytes(string.Join("\n\n", document.Chapters.SelectMany(c => c.Paragraphs.Prepend(c.Title))));
        var added = await processing.AddDocumentAsync(file, "text/plain", document);
        return added.Edition.Id;
    }

    private sealed record DocumentRun(double Start, double Wall, IReadOnlyList<Call> Calls, long LivePeak, long Peak);
}
