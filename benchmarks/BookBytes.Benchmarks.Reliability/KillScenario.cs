using System.Diagnostics;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>
/// The <c>kill</c> scenario: one book; up to <c>--cycles</c> times, wait until the job runs on the (re)started
/// host, let it work a random 1–6 s, <c>kill -9</c> the host and restart it on the same data; then let the job
/// finish and check what survived.
/// </summary>
/// <remarks>
/// "Running" means the job is Processing with more claims (attempts plus rescues) than at the previous kill: a killed host's
/// lease stays until it expires (Jobs:LeaseDuration, 2 min by default), and killing a host that has not
/// claimed the job again would not interrupt anything.
/// </remarks>
internal static class KillScenario
{
    public static async Task<int> RunAsync(CampaignOptions options, CancellationToken cancellationToken)
    {
        var plan = new FaultPlan
        {
            Seed = options.Seed,
            FailureRate = options.FaultRate,
            SpeechDelayMin = TimeSpan.FromMilliseconds(options.SpeechDelayMinMs),
            SpeechDelayMax = TimeSpan.FromMilliseconds(options.SpeechDelayMaxMs),
            ChatDelayMin = TimeSpan.FromMilliseconds(options.ChatDelayMinMs),
            ChatDelayMax = TimeSpan.FromMilliseconds(options.ChatDelayMaxMs),
        };
        await using var campaign = await Campaign.StartAsync(options, plan, cancellationToken);
        Report.Header(options, campaign);
        Console.WriteLine($"  up to {options.Cycles} kill -9 cycles, {options.KillMinSeconds}-{options.KillMaxSeconds} s after the job runs again; speech answers take {options.SpeechDelayMinMs}-{options.SpeechDelayMaxMs} ms, chat answers {options.ChatDelayMinMs}-{options.ChatDelayMaxMs} ms");

        var random = new Random(options.Seed);
        var clock = Stopwatch.StartNew();
        var run = (await campaign.SubmitAsync(cancellationToken))[0];
        var kills = new List<KillRecord>();
        var attemptAtKill = 0;
        var terminalEarly = false;
        for (var cycle = 1; cycle <= options.Cycles && clock.Elapsed < options.Timeout; cycle++)
        {
            var ready = clock.Elapsed;
            var job = await WaitRunningAsync(campaign, run, attemptAtKill, clock, options.Timeout, cancellationToken);
            if (job is null or { IsTerminal: true })
            {
                terminalEarly = job is { IsTerminal: true };
                break;
            }

            var claimWait = clock.Elapsed - ready;
            var delay = TimeSpan.FromSeconds(options.KillMinSeconds + ((options.KillMaxSeconds - options.KillMinSeconds) * random.NextDouble()));
            await Task.Delay(delay, cancellationToken);
            var before = await campaign.Api.JobAsync(campaign.HostUrl, run.JobId, cancellationToken);
            if (before is { IsTerminal: true })
            {
                terminalEarly = true;
                break;
            }

            var book = await campaign.Api.AudioBookAsync(campaign.HostUrl, run.AudioBookId, cancellationToken);
            var inFlight = campaign.Fake.Counters.InFlight();
            await campaign.Host!.KillAsync();
            var record = new KillRecord(
                cycle, claimWait, delay, before?.Attempt ?? job.Attempt, before?.Progress ?? job.Progress,
                book?.Chapters.Count(c => c.Status == "Completed") ?? -1,
                inFlight.Count(r => r.Path == ProviderCounters.Speech),
                inFlight.Count(r => r.Path == ProviderCounters.Chat));
            kills.Add(record);
            attemptAtKill = (before ?? job).Attempt + (before ?? job).Rescues;
            Console.WriteLine($"  kill {cycle}: t={Report.F(clock.Elapsed.TotalSeconds)}s, job claimed {Report.F(claimWait.TotalSeconds)} s after restart, killed {Report.F(delay.TotalSeconds)} s later; attempt {record.Attempt}, rescues {(before ?? job).Rescues}, progress {record.Progress}%, chapters completed {record.ChaptersCompleted}, in flight: speech {record.SpeechInFlight}, chat {record.ChatInFlight}");
            await campaign.StartHostAsync(cancellationToken);
        }

        var finished = terminalEarly || await campaign.WaitTerminalAsync([run], clock, options.Timeout, cancellationToken);
        var wall = clock.Elapsed;
        var outcome = (await campaign.CollectAsync([run], cancellationToken))[0];

        Console.WriteLine("-- result: kill --");
        Console.WriteLine($"  kill cycles stopped after {kills.Count}: {(terminalEarly ? "the job was terminal before the next kill" : kills.Count >= options.Cycles ? "all cycles done" : "overall timeout")}");
        Console.WriteLine(finished ? $"  job terminal after {Report.F(wall.TotalSeconds)} s and {kills.Count} kill(s)" : $"  TIMED OUT after {Report.F(wall.TotalSeconds)} s and {kills.Count} kill(s)");
        var (completed, _, chapterFailures) = Report.Books([outcome]);
        var lost = new List<int>();
        foreach (var c in outcome.AudioBook?.Chapters.Where(c => c.Status == "Completed") ?? [])
        {
            var file = campaign.ChapterFile(run.AudioBookId, outcome.AudioBook!.Version, c.Number);
            if (!File.Exists(file) || new FileInfo(file).Length == 0)
            {
                lost.Add(c.Number);
            }
        }

        var speech = SpeechFigures.From(campaign.Fake.Counters);
        Report.Speech(speech, campaign.Fake.Counters);
        var inFlightAtKills = kills.Sum(k => k.SpeechInFlight);
        var lostSummaries = campaign.Fake.Counters.Count(ProviderCounters.Chat, ProviderCounters.ClientGone);
        Console.WriteLine($"  book completed: {(completed == 1 ? "yes" : "NO")}; chapters Completed whose audio file is missing: {lost.Count}{(lost.Count > 0 ? $" ({string.Join(",", lost)})" : "")}; chapters failed {chapterFailures}");
        Console.WriteLine($"  repeated syntheses (successful answers beyond one per text): {speech.RepeatedSyntheses}; for comparison, speech calls in flight at the kills: {inFlightAtKills} (per kill: {string.Join(" ", kills.Select(k => k.SpeechInFlight))})");
        Console.WriteLine($"  summaries lost in flight at the kills (chat calls whose client went away): {lostSummaries}");
        Console.WriteLine($"  wall time {Report.F(wall.TotalSeconds)} s");
        Report.Summary(new Dictionary<string, object?>
        {
            ["scenario"] = "kill",
            ["seed"] = options.Seed,
            ["chapters"] = options.Chapters,
            ["kills"] = kills.Count,
            ["finished"] = finished,
            ["completed"] = completed == 1,
            ["jobStatus"] = outcome.Job?.Status,
            ["jobError"] = outcome.Job?.ErrorCode,
            ["audioBookStatus"] = outcome.AudioBook?.Status,
            ["chaptersCompleted"] = outcome.AudioBook?.Chapters.Count(c => c.Status == "Completed"),
            ["chaptersLost"] = lost.Count,
            ["repeatedSyntheses"] = speech.RepeatedSyntheses,
            ["speechInFlightAtKills"] = inFlightAtKills,
            ["speechInFlightPerKill"] = kills.Select(k => k.SpeechInFlight).ToArray(),
            ["chatInFlightAtKills"] = kills.Sum(k => k.ChatInFlight),
            ["speechCalls"] = speech.Calls,
            ["speechOk"] = speech.Successful,
            ["distinctTexts"] = speech.DistinctTexts,
            ["maxSynthesesOfOneText"] = speech.MaxSynthesesOfOneText,
            ["wallSeconds"] = Report.Round(wall.TotalSeconds, 1),
        });
        return finished ? 0 : 1;
    }

    /// <summary>Polls until the job is Processing with more claims (attempts plus rescues) than <paramref name="attemptAtKill"/>, or terminal.</summary>
    private static async Task<JobState?> WaitRunningAsync(Campaign campaign, BookRun run, int attemptAtKill, Stopwatch clock, TimeSpan deadline, CancellationToken cancellationToken)
    {
        while (clock.Elapsed < deadline)
        {
            var job = await campaign.Api.JobAsync(campaign.HostUrl, run.JobId, cancellationToken);
            if (job is { IsTerminal: true } || job is { Status: "Processing" } && job.Attempt + job.Rescues > attemptAtKill)
            {
                return job;
            }

            if (campaign.Host is { HasExited: true } host)
            {
                throw new HostFailedException("The host process exited on its own.", host.Tail());
            }

            await Task.Delay(200, cancellationToken);
        }

        return null;
    }

    private sealed record KillRecord(int Cycle, TimeSpan ClaimWait, TimeSpan Delay, int Attempt, int Progress, int ChaptersCompleted, int SpeechInFlight, int ChatInFlight);
}
