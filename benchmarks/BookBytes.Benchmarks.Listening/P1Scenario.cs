using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BookBytes.Benchmarks.Reliability;

namespace BookBytes.Benchmarks.Listening;

/// <summary>One P1 book through the host; times in milliseconds from the POST being sent unless said.</summary>
internal sealed record P1Run(
    string Label, double PolledWall, double? JobWall, double? QueueWait, double PostAnswered, double OutlineRequest, double OutlineToFirstSummary,
    double SummaryHandOffMedian, double SummaryHandOffMax, double LlmRefillMedian, double LlmRefillMax, double SpeechWaitMedian, double SpeechWaitMax,
    double LastSpeechEnd, double? LastSpeechToCompletedAt, double LastSpeechToPolled, int SummaryCalls, int SpeechCalls, int StreamedChatCalls)
{
    public const double Ideal = 3.3;
}

/// <summary>
/// P1 (docs/benchmarks.md, issue 3) through the real host: 20 chapters, no table of contents, outline and each summary exactly
/// 500 ms, each speech call exactly 300 ms, one chunk per chapter (100-word summaries), Llm and Tts MaxConcurrency 4;
/// ideal 0.5 + 5 × 0.5 + 0.3 = 3.3 s. The host's first job after start, then warm runs, in one host process.
/// </summary>
internal static class P1Scenario
{
    private const int Chapters = 20;
    private const int SummaryWords = 100;

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var warm = options.Runs ?? 5;
        var model = new StandInModel { ChatFixed = TimeSpan.FromMilliseconds(500), SpeechFixed = TimeSpan.FromMilliseconds(300), TokensPerPiece = options.Model.TokensPerPiece };
        Console.WriteLine($"p1: {Chapters} chapters, no table of contents, summaryWords {SummaryWords} (one speech call a chapter), Llm:MaxConcurrency 4, Tts:MaxConcurrency 4; first job + {warm} warm runs in one host");
        Console.WriteLine($"model: {model.Describe()}; ideal {P1Run.Ideal} s");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {ListenScenario.Load()}; times from the moment the POST is sent");
        var clock = Stopwatch.StartNew();
        var books = Enumerable.Range(1, warm + 1).Select(n => ListenScenario.Book(n, Chapters)).ToList();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BookBytes__Llm__MaxConcurrency"] = "4",
            ["BookBytes__Tts__MaxConcurrency"] = "4",
            ["BookBytes__Tts__ChunkCharacters"] = "1500",
        };
        await using var session = await HostSession.StartAsync(model, clock, books, environment, options.HostLogLevel, options.Verbose, cancellationToken);
        var results = new List<P1Run>();
        for (var i = 0; i < books.Count; i++)
        {
            var result = await RunOneAsync(session, clock, books[i], i == 0 ? "first job" : $"warm {i}", options.Timeout, cancellationToken);
            results.Add(result);
            Print(result);
        }

        var warmRuns = results.Skip(1).ToList();
        if (warmRuns.Count > 0)
        {
            string R(double v) => (v / 1000 / P1Run.Ideal).ToString("0.000", CultureInfo.InvariantCulture);
            Console.WriteLine($"first job: polled wall ÷ 3.3 = {R(results[0].PolledWall)}; job's own createdAt→completedAt ÷ 3.3 = {(results[0].JobWall is { } j ? R(j) : "—")}");
            Console.WriteLine($"warm runs: polled wall ÷ 3.3 = {string.Join(", ", warmRuns.Select(r => R(r.PolledWall)))} (median {R(Median(warmRuns.Select(r => r.PolledWall)))});"
                + $" job's own ÷ 3.3 = {string.Join(", ", warmRuns.Select(r => r.JobWall is { } w ? R(w) : "—"))} (median {R(Median(warmRuns.Select(r => r.JobWall ?? double.NaN)))})");
            Console.WriteLine($"where the warm runs' time over 3.3 s goes (medians): POST → outline request {Median(warmRuns.Select(r => r.OutlineRequest)):F0} ms (of it: job queued before it started {Median(warmRuns.Select(r => r.QueueWait ?? double.NaN)):F0} ms);"
                + $" outline answer → first summary request {Median(warmRuns.Select(r => r.OutlineToFirstSummary)):F0} ms; summary answer → its speech request {Median(warmRuns.Select(r => r.SummaryHandOffMedian)):F1} ms (max {warmRuns.Max(r => r.SummaryHandOffMax):F1});"
                + $" freed LLM slot → next summary request {Median(warmRuns.Select(r => r.LlmRefillMedian)):F1} ms (max {warmRuns.Max(r => r.LlmRefillMax):F1}); speech ready → requested {Median(warmRuns.Select(r => r.SpeechWaitMedian)):F1} ms (max {warmRuns.Max(r => r.SpeechWaitMax):F1});"
                + $" last speech answer → job's completedAt {Median(warmRuns.Select(r => r.LastSpeechToCompletedAt ?? double.NaN)):F0} ms, → Completed seen by the 20 ms poll {Median(warmRuns.Select(r => r.LastSpeechToPolled)):F0} ms");
        }

        Console.WriteLine($"load after: {ListenScenario.Load()}");
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(results));
        return 0;
    }

    private static async Task<P1Run> RunOneAsync(HostSession session, Stopwatch clock, CampaignBook book, string label, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var t0 = clock.Elapsed;
        var t0Utc = DateTimeOffset.UtcNow;
        var (jobId, _) = await session.Api.ProcessAsync(session.Url, book.Isbn, SummaryWords, deadline.Token);
        var posted = clock.Elapsed;
        JobState? job;
        while (true)
        {
            var attempt = clock.Elapsed;
            job = await session.Api.JobAsync(session.Url, jobId, deadline.Token);
            if (job is { IsTerminal: true })
            {
                break;
            }

            var wait = attempt + TimeSpan.FromMilliseconds(20) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, deadline.Token);
            }
        }

        var seen = clock.Elapsed;
        if (job.Status != "Completed")
        {
            throw new InvalidOperationException($"P1 job {jobId} ended {job.Status}: {job.ErrorCode} {job.ErrorMessage}");
        }

        double Ms(TimeSpan at) => (at - t0).TotalMilliseconds;
        double? HostMs(DateTimeOffset? at) => at is { } a ? (a - t0Utc).TotalMilliseconds : null;
        var calls = session.StandIn.Calls.Where(c => c.Book == book.Number && c.Status == 200).ToList();
        var outline = calls.Where(c => c.Kind == StandInCall.Outline).OrderBy(c => c.Arrived).First();
        var summaries = calls.Where(c => c.Kind == StandInCall.Summary).OrderBy(c => c.Arrived).ToList();
        var speech = calls.Where(c => c.Kind == StandInCall.Speech).OrderBy(c => c.Arrived).ToList();

        // A summary's answer → the speech request for its chapter (one chunk a chapter).
        var handOffs = speech.Select(sp => summaries.Where(su => su.Chapter == sp.Chapter).Select(su => (sp.Arrived - su.Ended).TotalMilliseconds).DefaultIfEmpty(double.NaN).Max()).ToList();
        // With 4 slots, the (i+1)-th call after the first four takes the slot the i-th earliest answer freed.
        var refills = SlotGaps(summaries, 4, _ => TimeSpan.Zero);
        var speechWaits = SlotGaps(speech, 4, sp => summaries.Where(su => su.Chapter == sp.Chapter).Select(su => su.Ended).DefaultIfEmpty(TimeSpan.Zero).Max());
        var lastSpeech = speech.Max(c => c.Ended);
        return new P1Run(
            label, Ms(seen), job is { CreatedAt: { } created, CompletedAt: { } completed } ? (completed - created).TotalMilliseconds : null,
            job is { CreatedAt: { } c2, StartedAt: { } started } ? (started - c2).TotalMilliseconds : null,
            Ms(posted), Ms(outline.Arrived), summaries.Count > 0 ? (summaries[0].Arrived - outline.Ended).TotalMilliseconds : double.NaN,
            Median(handOffs), handOffs.DefaultIfEmpty(double.NaN).Max(), Median(refills), refills.DefaultIfEmpty(double.NaN).Max(),
            Median(speechWaits), speechWaits.DefaultIfEmpty(double.NaN).Max(),
            Ms(lastSpeech), HostMs(job.CompletedAt) - Ms(lastSpeech), Ms(seen) - Ms(lastSpeech),
            summaries.Count, speech.Count, calls.Count(c => c.Streamed));
    }

    /// <summary>
    /// For calls on <paramref name="slots"/> slots in arrival order: how long after it could have started each one arrived —
    /// the later of its input being ready and a slot being free (the answer that freed it: the earliest answers first).
    /// </summary>
    private static List<double> SlotGaps(List<StandInCall> calls, int slots, Func<StandInCall, TimeSpan> ready)
    {
        var gaps = new List<double>();
        var ends = new List<TimeSpan>();
        for (var i = 0; i < calls.Count; i++)
        {
            var free = i < slots ? TimeSpan.Zero : ends.OrderBy(e => e).ElementAt(i - slots);
            var could = ready(calls[i]) > free ? ready(calls[i]) : free;
            if (i >= slots || ready(calls[i]) > TimeSpan.Zero)
            {
                gaps.Add((calls[i].Arrived - could).TotalMilliseconds);
            }

            ends.Add(calls[i].Ended);
        }

        return gaps;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Print(P1Run r)
    {
        Console.WriteLine($"{r.Label}: polled wall {r.PolledWall:F0} ms (÷ 3.3 = {r.PolledWall / 1000 / P1Run.Ideal:0.000}), job createdAt→completedAt {r.JobWall:F0} ms (÷ 3.3 = {r.JobWall / 1000 / P1Run.Ideal:0.000}); POST answered {r.PostAnswered:F0} ms");
        Console.WriteLine($"  POST → outline request {r.OutlineRequest:F0} ms (job created → started {r.QueueWait:F0} ms); outline answer → first summary request {r.OutlineToFirstSummary:F1} ms;"
            + $" summary → speech hand-off median {r.SummaryHandOffMedian:F1} ms (max {r.SummaryHandOffMax:F1}); freed LLM slot → next summary median {r.LlmRefillMedian:F1} ms (max {r.LlmRefillMax:F1});"
            + $" speech ready → requested median {r.SpeechWaitMedian:F1} ms (max {r.SpeechWaitMax:F1}); last speech answer at {r.LastSpeechEnd:F0} ms → job completedAt +{r.LastSpeechToCompletedAt:F0} ms, → seen Completed +{r.LastSpeechToPolled:F0} ms;"
            + $" {r.SummaryCalls} summaries ({r.StreamedChatCalls} chat calls streamed), {r.SpeechCalls} speech calls");
    }
}
