using System.Globalization;
using System.Text.Json;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>What the fake speech endpoint saw.</summary>
internal sealed record SpeechFigures(int Calls, int Successful, int RateLimited, int ServerErrors, int ClientGone, int DistinctTexts, int MaxSynthesesOfOneText, int RepeatedSyntheses, int Truncated)
{
    /// <summary>Successful answers per distinct text: 1.0 when nothing was synthesized twice.</summary>
    public double Ratio => DistinctTexts == 0 ? double.NaN : Successful / (double)DistinctTexts;

    public static SpeechFigures From(ProviderCounters counters)
    {
        var perText = counters.SuccessfulSpeechPerText();
        return new SpeechFigures(
            counters.Count(ProviderCounters.Speech),
            counters.Count(ProviderCounters.Speech, 200),
            counters.Count(ProviderCounters.Speech, 429),
            counters.Count(ProviderCounters.Speech, 500),
            counters.Count(ProviderCounters.Speech, ProviderCounters.ClientGone),
            counters.DistinctSpeechTexts,
            perText.Count == 0 ? 0 : perText.Values.Max(),
            perText.Values.Sum(n => Math.Max(0, n - 1)),
            counters.Truncated);
    }
}

/// <summary>Prints the human-readable blocks and the one machine-readable line.</summary>
internal static class Report
{
    public static void Header(CampaignOptions options, Campaign campaign)
    {
        Console.WriteLine($"== reliability campaign: {options.Scenario} (seed {options.Seed}) ==");
        Console.WriteLine($"  {options.Books} book(s) x {options.Chapters} chapters, SQLite store and local audio in {campaign.Work}");
        Console.WriteLine($"  fake OpenAI {campaign.Fake.OpenAiEndpoint}, fake Open Library {campaign.Fake.CatalogUrl}, host {campaign.HostUrl}");
        Console.WriteLine($"  host settings changed from defaults (besides endpoints, paths, ports, API key): {(campaign.ChangedSettings.Count == 0 ? "none" : string.Join("; ", campaign.ChangedSettings))}");
    }

    public static (int Completed, int Failed, int ChapterFailures) Books(IReadOnlyList<BookOutcome> outcomes)
    {
        Console.WriteLine("  books:");
        foreach (var o in outcomes)
        {
            var chapters = o.AudioBook?.Chapters ?? [];
            var byStatus = string.Join(" ", chapters.GroupBy(c => c.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
            var failed = chapters.Where(c => c.Status == "Failed").Select(c => c.Number).ToList();
            var job = o.Job is { } j ? $"job {j.Status} (attempt {j.Attempt}/{j.MaxAttempts}{(j.ErrorCode is null ? "" : ", " + j.ErrorCode)})" : "job unreadable";
            Console.WriteLine($"    #{o.Run.Book.Number} {o.Run.Book.Isbn}: {job}; audiobook {o.AudioBook?.Status ?? "unreadable"} v{o.AudioBook?.Version}; chapters {byStatus}{(failed.Count > 0 ? $" (failed: {string.Join(",", failed)})" : "")}");
            if (o.Job is { Status: "Failed", ErrorMessage: { } message })
            {
                Console.WriteLine($"       error: {Shorten(message, 220)}");
            }

            foreach (var c in chapters.Where(c => c.Status == "Failed" && c.ErrorMessage is not null).Take(2))
            {
                Console.WriteLine($"       chapter {c.Number}: {Shorten(c.ErrorMessage!, 200)}");
            }
        }

        return (
            outcomes.Count(o => o.Job?.Status == "Completed" && o.AudioBook?.Status == "Completed"),
            outcomes.Count(o => o.Job?.Status != "Completed" || o.AudioBook?.Status != "Completed"),
            outcomes.Sum(o => o.AudioBook?.Chapters.Count(c => c.Status == "Failed") ?? 0));
    }

    public static void Speech(SpeechFigures s, ProviderCounters counters)
    {
        Console.WriteLine($"  speech calls {s.Calls}: 200={s.Successful} 429={s.RateLimited} 500={s.ServerErrors} client-gone={s.ClientGone}; truncated answers sent {s.Truncated}");
        Console.WriteLine($"  distinct chunk texts {s.DistinctTexts}; successful / distinct = {s.Ratio:F3}; max syntheses of one text {s.MaxSynthesesOfOneText}; repeated syntheses {s.RepeatedSyntheses}");
        Console.WriteLine($"  chat calls {counters.Count(ProviderCounters.Chat)}: 200={counters.Count(ProviderCounters.Chat, 200)} 429={counters.Count(ProviderCounters.Chat, 429)} 500={counters.Count(ProviderCounters.Chat, 500)}");
    }

    public static void Summary(IDictionary<string, object?> values)
        => Console.WriteLine("RESULT " + JsonSerializer.Serialize(values));

    public static double Round(double value, int digits = 3) => double.IsFinite(value) ? Math.Round(value, digits) : -1;

    private static string Shorten(string text, int max)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "...");
    }

    public static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
