using System.Diagnostics;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>
/// The <c>faults</c>, <c>burst</c> and <c>truncate</c> scenarios: post every book, poll the jobs until all are
/// terminal, read the audiobooks, and report what the host made of the provider's trouble.
/// </summary>
internal static class BatchScenario
{
    public static async Task<int> RunAsync(CampaignOptions options, CancellationToken cancellationToken)
    {
        var plan = new FaultPlan
        {
            Seed = options.Seed,
            FailureRate = options.FaultRate,
            BurstStart = options.BurstStart is { } bs ? TimeSpan.FromSeconds(bs) : null,
            BurstEnd = options.BurstEnd is { } be ? TimeSpan.FromSeconds(be) : null,
            TruncateFraction = options.TruncateFirst > 0 ? 0 : options.TruncateFraction,
            TruncateFirst = options.TruncateFirst,
            SpeechDelayMin = TimeSpan.FromMilliseconds(options.SpeechDelayMinMs),
            SpeechDelayMax = TimeSpan.FromMilliseconds(options.SpeechDelayMaxMs),
            ChatDelayMin = TimeSpan.FromMilliseconds(options.ChatDelayMinMs),
            ChatDelayMax = TimeSpan.FromMilliseconds(options.ChatDelayMaxMs),
        };

        await using var campaign = await Campaign.StartAsync(options, plan, cancellationToken);
        Report.Header(options, campaign);
        Console.WriteLine($"  faults: {Describe(options)}");
        Console.WriteLine($"  latency of successful answers: chat {options.ChatDelayMinMs}-{options.ChatDelayMaxMs} ms, speech {options.SpeechDelayMinMs}-{options.SpeechDelayMaxMs} ms");

        var clock = Stopwatch.StartNew();
        var runs = await campaign.SubmitAsync(cancellationToken);
        var finished = await campaign.WaitTerminalAsync(runs, clock, options.Timeout, cancellationToken);
        var wall = clock.Elapsed;
        var outcomes = await campaign.CollectAsync(runs, cancellationToken);

        Console.WriteLine($"-- result: {options.Scenario} --");
        Console.WriteLine(finished ? $"  all jobs terminal after {Report.F(wall.TotalSeconds)} s" : $"  TIMED OUT after {Report.F(wall.TotalSeconds)} s: not every job reached Completed/Failed");
        var (completed, failed, chapterFailures) = Report.Books(outcomes);
        var speech = SpeechFigures.From(campaign.Fake.Counters);
        Report.Speech(speech, campaign.Fake.Counters);
        Console.WriteLine($"  books completed {completed} / failed or incomplete {failed}; chapters failed {chapterFailures}; outline calls {campaign.Fake.OutlineRequests} (0 expected: the catalog has the chapters)");

        var summary = new Dictionary<string, object?>
        {
            ["scenario"] = options.Scenario,
            ["seed"] = options.Seed,
            ["books"] = options.Books,
            ["chapters"] = options.Chapters,
            ["finished"] = finished,
            ["completed"] = completed,
            ["failed"] = failed,
            ["chapterFailures"] = chapterFailures,
            ["speechCalls"] = speech.Calls,
            ["speechOk"] = speech.Successful,
            ["distinctTexts"] = speech.DistinctTexts,
            ["okPerDistinct"] = Report.Round(speech.Ratio),
            ["maxSynthesesOfOneText"] = speech.MaxSynthesesOfOneText,
            ["chatCalls"] = campaign.Fake.Counters.Count(ProviderCounters.Chat),
            ["wallSeconds"] = Report.Round(wall.TotalSeconds, 1),
        };

        switch (options.Scenario)
        {
            case "faults":
                Console.WriteLine($"  goal successful/distinct <= 1.05: {(speech.Ratio <= 1.05 ? "met" : "NOT met")} ({speech.Ratio:F3})");
                break;
            case "burst":
                Burst(campaign, options, completed, failed, summary);
                break;
            case "truncate":
                await TruncateAsync(campaign, outcomes, summary, cancellationToken);
                break;
        }

        Console.WriteLine($"  wall time {Report.F(wall.TotalSeconds)} s");
        Report.Summary(summary);
        return finished ? 0 : 1;
    }

    private static string Describe(CampaignOptions o) => o.Scenario switch
    {
        "faults" => $"{o.FaultRate:P0} of LLM and speech calls fail (429 Retry-After: 1 or 500, half each)",
        "burst" => $"every LLM and speech call answers 429 (Retry-After: 1) from {o.BurstStart} s to {o.BurstEnd} s after the first POST" + (o.FaultRate > 0 ? $", plus {o.FaultRate:P0} random failures" : ""),
        "truncate" => o.TruncateFirst > 0 ? $"the first {o.TruncateFirst} speech answers are cut to half their frames" : $"{o.TruncateFraction:P0} of speech answers are cut to half their frames (Content-Length matches)",
        _ => "none",
    };

    private static void Burst(Campaign campaign, CampaignOptions options, int completed, int failed, Dictionary<string, object?> summary)
    {
        var start = TimeSpan.FromSeconds(options.BurstStart ?? 0);
        var end = TimeSpan.FromSeconds(options.BurstEnd ?? 0);
        var inWindow = campaign.Fake.Counters.Requests.Where(r => r.Path is ProviderCounters.Chat or ProviderCounters.Speech && r.At >= start && r.At < end).ToList();
        var before = campaign.Fake.Counters.Requests.Count(r => r.Path is ProviderCounters.Chat or ProviderCounters.Speech && r.At < start);
        var after = campaign.Fake.Counters.Requests.Count(r => r.Path is ProviderCounters.Chat or ProviderCounters.Speech && r.At >= end);
        Console.WriteLine($"  provider calls before the window {before}, inside it {inWindow.Count} (all 429), after it {after}");
        Console.WriteLine($"  expected: all {options.Books} complete, none failed: {(completed == options.Books && failed == 0 ? "met" : "NOT met")}");
        summary["callsInBurst"] = inWindow.Count;
        summary["callsBeforeBurst"] = before;
        summary["callsAfterBurst"] = after;
    }

    private static async Task TruncateAsync(Campaign campaign, IReadOnlyList<BookOutcome> outcomes, Dictionary<string, object?> summary, CancellationToken cancellationToken)
    {
        // What each chapter should last: its distinct chunk texts at 15 characters a second.
        var expectedByMarker = campaign.Fake.Counters.SpeechRequests
            .Where(r => r.Marker is not null)
            .GroupBy(r => r.Marker!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.SpeechInput!).Distinct(StringComparer.Ordinal).Sum(t => t.Length) / FakeProviders.CharactersPerSecond, StringComparer.Ordinal);
        var truncatedByMarker = campaign.Fake.Counters.SpeechRequests.Where(r => r.Truncated && r.Marker is not null)
            .GroupBy(r => r.Marker!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var chapters = new List<object>();
        var short_ = 0;
        Console.WriteLine("  stored chapters (ffprobe duration vs expected chars/15):");
        foreach (var o in outcomes)
        {
            foreach (var c in o.AudioBook?.Chapters ?? [])
            {
                var marker = CampaignBook.Marker(o.Run.Book.Number, c.Number);
                var expected = expectedByMarker.GetValueOrDefault(marker);
                var file = campaign.ChapterFile(o.Run.AudioBookId, o.AudioBook!.Version, c.Number);
                double? measured = File.Exists(file) ? await Ffprobe.DurationAsync(file, cancellationToken) : null;
                var ratio = measured is { } m && expected > 0 ? m / expected : double.NaN;
                // Frame rounding costs at most 18 ms a chunk; anything beyond 2 % is missing audio.
                if (ratio < 0.98)
                {
                    short_++;
                }

                Console.WriteLine($"    chapter {c.Number} ({marker}) {c.Status}: ffprobe {(measured is { } mm ? Report.F(mm) + " s" : File.Exists(file) ? "unreadable" : "no file")}, host says {(c.DurationSeconds is { } d ? Report.F(d) + " s" : "-")}, expected {Report.F(expected)} s, ratio {ratio:F2}; truncated answers for it {truncatedByMarker.GetValueOrDefault(marker)}");
                chapters.Add(new { chapter = c.Number, status = c.Status, ffprobeSeconds = measured, hostSeconds = c.DurationSeconds, expectedSeconds = Report.Round(expected, 1), ratio = Report.Round(ratio) });
            }
        }

        Console.WriteLine($"  chapters stored more than 2 % shorter than expected: {short_} of {chapters.Count}");
        summary["truncatedSent"] = campaign.Fake.Counters.Truncated;
        summary["shortChapters"] = short_;
        summary["chapterDurations"] = chapters;
    }
}
