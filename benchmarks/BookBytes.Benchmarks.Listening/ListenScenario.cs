using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BookBytes.Benchmarks.Reliability;

namespace BookBytes.Benchmarks.Listening;

/// <summary>One book of the listening scenario, as measured; times in seconds from the POST being sent.</summary>
internal sealed record ListenRun(
    string Streaming, int Run, double PostAnswered, double? FirstByte, double? BodyEnd, bool? BodyEqualsFinal, int BodyBytes, bool Progressive,
    int NotReadyAnswers, double? ChapterOneCompleted, double? BookCompleted, string BookStatus, double? JobWall,
    int OutlineCalls, int SummaryCalls, int StreamedChatCalls, int SpeechCalls, int SpeechCharacters, int OtherCalls, ScheduleBound Bound);

/// <summary>
/// Listening while it is made: a book of 20 chapters (no table of contents, so the host asks the outline), the listener
/// polling chapter 1's audio every 50 ms and the audiobook every 100 ms, once with <c>Llm:StreamSummaries</c> true and once false.
/// </summary>
internal static class ListenScenario
{
    private const int LlmSlots = 8;
    private const int TtsSlots = 16;
    private const int ChunkCharacters = 1500;

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var runs = options.Runs ?? 1;
        var settings = options.Streaming == "both" ? new[] { "on", "off" } : [options.Streaming];
        Console.WriteLine($"listen: {options.Chapters} chapters, no table of contents, Llm:MaxConcurrency {LlmSlots}, Tts:MaxConcurrency {TtsSlots}, Tts:ChunkCharacters {ChunkCharacters}; {runs} run(s) per setting");
        Console.WriteLine($"model: {options.Model.Describe()}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {Load()}; times from the moment the POST is sent");
        var results = new List<ListenRun>();
        var clock = Stopwatch.StartNew();
        var number = 0;
        foreach (var streaming in settings)
        {
            var books = Enumerable.Range(1, runs).Select(r => Book(++number, options.Chapters)).ToList();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["BookBytes__Llm__MaxConcurrency"] = LlmSlots.ToString(CultureInfo.InvariantCulture),
                ["BookBytes__Tts__MaxConcurrency"] = TtsSlots.ToString(CultureInfo.InvariantCulture),
                ["BookBytes__Tts__ChunkCharacters"] = ChunkCharacters.ToString(CultureInfo.InvariantCulture),
                ["BookBytes__Llm__StreamSummaries"] = streaming == "on" ? "true" : "false",
            };
            await using var session = await HostSession.StartAsync(options.Model, clock, books, environment, options.HostLogLevel, options.Verbose, cancellationToken);
            Console.WriteLine($"streaming {streaming}: host pid {session.Host.Id} at {session.Url} (BookBytes__Llm__StreamSummaries={environment["BookBytes__Llm__StreamSummaries"]})");
            for (var r = 0; r < runs; r++)
            {
                var result = await RunOneAsync(session, clock, books[r], streaming, r + 1, options, cancellationToken);
                results.Add(result);
                Print(result);
            }
        }

        Console.WriteLine($"load after: {Load()}");
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(results));
        return results.All(r => r.BookStatus == "Completed") ? 0 : 1;
    }

    /// <summary>A book of the scenario: title "Listening Book {n}", the stand-in recognises it in the prompts.</summary>
    public static CampaignBook Book(int number, int chapters)
        => new(number, CampaignBook.Isbn13(777_000_000L + number), $"Listening Book {number}", $"Author Number {number}",
            [.. Enumerable.Range(1, chapters).Select(c => $"Lessons of {CampaignBook.Marker(number, c)}")]);

    private static async Task<ListenRun> RunOneAsync(HostSession session, Stopwatch clock, CampaignBook book, string streaming, int run, BenchOptions options, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        var t0 = clock.Elapsed;
        var (jobId, audioBookId) = await session.Api.ProcessAsync(session.Url, book.Isbn, deadline.Token);
        var posted = clock.Elapsed;
        double Since(TimeSpan at) => (at - t0).TotalSeconds;

        var audio = new Uri(session.Url + $"/api/v1/audiobooks/{audioBookId:D}/chapters/1/audio");
        var listening = new ChapterListener(session.Streaming, clock, TimeSpan.FromMilliseconds(50)).ListenAsync(audio, deadline.Token);
        TimeSpan? chapterOne = null;
        TimeSpan? finished = null;
        var status = "unknown";
        while (finished is null)
        {
            var attempt = clock.Elapsed;
            if (await session.Api.AudioBookAsync(session.Url, audioBookId, deadline.Token) is { } state)
            {
                if (chapterOne is null && state.Chapters.FirstOrDefault(c => c.Number == 1) is { Status: "Completed" })
                {
                    chapterOne = clock.Elapsed;
                }

                status = state.Status;
                if (state.Status is "Completed" or "PartiallyCompleted" or "Failed")
                {
                    finished = clock.Elapsed;
                }
            }

            if (session.Host.HasExited)
            {
                throw new HostFailedException("The host process exited during the run.", session.Host.Tail());
            }

            var wait = attempt + TimeSpan.FromMilliseconds(100) - clock.Elapsed;
            if (finished is null && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, deadline.Token);
            }
        }

        Listened? listened = null;
        byte[]? final = null;
        if (status == "Completed")
        {
            listened = await listening;
            final = await session.Http.GetByteArrayAsync(audio, deadline.Token);
        }

        var job = await session.Api.JobAsync(session.Url, jobId, deadline.Token);
        var calls = session.StandIn.Calls.Where(c => c.Book == book.Number).ToList();
        // The host's default target (BookBytes:Summary:Words 500); the stand-in answered from the prompt's own number, which it keeps.
        var summaries = Enumerable.Range(1, book.ChapterTitles.Count).Select(c => session.StandIn.Summary(book.Number, c, 500)).ToList();
        var bound = ScheduleBound.For(options.Model, session.StandIn.OutlineContent(book.Number), summaries, LlmSlots, TtsSlots, ChunkCharacters);
        var speech = session.StandIn.Calls.Where(c => c.Kind == StandInCall.Speech && c.Book == book.Number).ToList();
        var timeline = Timeline(calls, t0);
        if (timeline.Length > 0)
        {
            Console.WriteLine(timeline);
        }

        if (speech.Count > 0)
        {
            Console.WriteLine(Slots(speech, t0));
        }

        return new ListenRun(
            streaming, run, Since(posted),
            listened?.FirstByte is { } fb ? Since(fb) : null,
            listened?.End is { } end ? Since(end) : null,
            final is null || listened is null ? null : final.AsSpan().SequenceEqual(listened.Audio),
            listened?.Audio.Length ?? 0,
            listened is { ContentLength: null },
            listened?.NotReadyAnswers ?? 0,
            chapterOne is { } c1 ? Since(c1) : null,
            finished is { } f && status == "Completed" ? Since(f) : null,
            status,
            job is { CreatedAt: { } created, CompletedAt: { } completed } ? (completed - created).TotalSeconds : null,
            calls.Count(c => c.Kind == StandInCall.Outline),
            calls.Count(c => c.Kind == StandInCall.Summary),
            calls.Count(c => c.Kind is StandInCall.Outline or StandInCall.Summary && c.Streamed),
            speech.Count,
            speech.Sum(c => c.Units),
            session.StandIn.Calls.Count(c => c.Kind == StandInCall.Other) + calls.Count(c => c.Status != 200),
            bound);
    }

    private static string Timeline(IReadOnlyList<StandInCall> calls, TimeSpan t0)
    {
        string S(TimeSpan at) => (at - t0).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        var outline = calls.FirstOrDefault(c => c.Kind == StandInCall.Outline);
        var summary = calls.FirstOrDefault(c => c.Kind == StandInCall.Summary && c.Chapter == 1);
        var speech = calls.Where(c => c.Kind == StandInCall.Speech && c.Chapter == 1).OrderBy(c => c.Arrived).ToList();
        if (outline is null || summary is null)
        {
            return string.Empty;
        }

        return $"  stand-in: outline {S(outline.Arrived)}–{S(outline.Ended)} s; chapter 1's summary {S(summary.Arrived)}–{S(summary.Ended)} s (first event {S(summary.FirstByte)} s, {summary.Units} tokens);"
            + $" its {speech.Count} speech call(s) {string.Join(", ", speech.Select(c => $"{S(c.Arrived)}–{S(c.Ended)} s ({c.Units} ch)"))}";
    }

    /// <summary>How busy the speech slots were: when all were first busy, when the first went idle for good, and the busy share between.</summary>
    private static string Slots(IReadOnlyList<StandInCall> speech, TimeSpan t0)
    {
        string S(TimeSpan at) => (at - t0).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        var events = speech.SelectMany(c => new[] { (At: c.Arrived, Change: 1), (At: c.Ended, Change: -1) }).OrderBy(e => e.At).ThenBy(e => e.Change).ToList();
        var inFlight = 0;
        TimeSpan? full = null;
        var lastFull = TimeSpan.Zero;
        foreach (var (at, change) in events)
        {
            inFlight += change;
            if (inFlight >= TtsSlots)
            {
                full ??= at;
                lastFull = at;
            }
        }

        var first = speech.Min(c => c.Arrived);
        var last = speech.Max(c => c.Ended);
        var busy = speech.Sum(c => (c.Ended - c.Arrived).TotalSeconds);
        var span = (last - first).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"  speech slots: first call {S(first)} s, all {TtsSlots} busy from {(full is { } f ? S(f) : "never")} s to {S(lastFull)} s, last call ended {S(last)} s; busy {busy:0.0} slot-s of {TtsSlots * span:0.0} ({busy / (TtsSlots * span):P1}) from first call to last");
    }

    private static void Print(ListenRun r)
    {
        string S(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "—";
        string Ratio(double? v, double bound) => v is { } x ? (x / bound).ToString("0.00", CultureInfo.InvariantCulture) : "—";
        var b = r.Bound;
        Console.WriteLine($"streaming {r.Streaming}, run {r.Run}: book {r.BookStatus}; POST answered {S(r.PostAnswered)}");
        Console.WriteLine($"  (a) first audio byte of chapter 1  {S(r.FirstByte),9}   bound {S(b.FirstSound)}   ÷ bound {Ratio(r.FirstByte, b.FirstSound)}   ({r.NotReadyAnswers} answers 404 before it; body {(r.Progressive ? "streamed without Content-Length" : "with Content-Length")})");
        Console.WriteLine($"  (b) its body ended                 {S(r.BodyEnd),9}   {r.BodyBytes} bytes, equal to the final chapter file: {(r.BodyEqualsFinal is { } eq ? (eq ? "yes" : "NO") : "—")}");
        Console.WriteLine($"  (c) chapter 1 Completed (100 ms poll) {S(r.ChapterOneCompleted),6}   bound {S(b.ChapterOne)}   ÷ bound {Ratio(r.ChapterOneCompleted, b.ChapterOne)}");
        Console.WriteLine($"  (d) book Completed (100 ms poll)   {S(r.BookCompleted),9}   bound {S(b.Book)}   ÷ bound {Ratio(r.BookCompleted, b.Book)}   (job createdAt→completedAt {S(r.JobWall)})");
        Console.WriteLine($"  stand-in served: {r.OutlineCalls} outline, {r.SummaryCalls} summaries ({r.StreamedChatCalls} chat calls streamed), {r.SpeechCalls} speech calls ({r.SpeechCharacters} characters), {r.OtherCalls} other/failed");
        Console.WriteLine("  bound:");
        Console.WriteLine(b.Formula);
    }

    public static string Load()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
