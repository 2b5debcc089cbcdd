using System.Diagnostics;
using BookBytes.Llm;
using BookBytes.Providers.Local.Summaries;

namespace BookBytes.Benchmarks.Local;

/// <summary>
/// Extractive summary time per chapter: ExtractiveLlmProvider.SummarizeTextAsync on generated chapters of 2k, 5k, 10k and
/// 20k words, and one of 50k words above the 2,000-sentence cap (one call each, as the pipeline makes for a chapter within the input budget), asking for 500 words. The
/// ranking is O(n²) in sentences at worst; the ratio of the 20k chapter's time per 1k words to the 2k one's shows how much
/// of that growth real-looking prose has.
/// </summary>
internal static class ExtractiveScenario
{
    private const int Runs = 15;
    private const int WarmUps = 3;
    private const int SummaryWords = 500;
    private static readonly int[] Sizes = [2_000, 5_000, 10_000, 20_000];

    // Above the provider's 2,000-sentence cap: sampled, so the time stops growing with the text.
    private const int BeyondCap = 50_000;

    public static async Task RunAsync()
    {
        var provider = new ExtractiveLlmProvider();
        var book = new BookContext("Generated", ["Benchmark"], "en", SummaryWords: SummaryWords);
        Console.WriteLine($"## extractive: {ExtractiveLlmProvider.Model}, {SummaryWords}-word summaries, median of {Runs} runs after {WarmUps} warm-ups, one call per chapter");
        Console.WriteLine("| chapter words | sentences | summary words | median ms / chapter | min ms | max ms | ms / 1k words |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var perThousand = new Dictionary<int, double>();
        foreach (var size in Sizes.Append(BeyondCap))
        {
            var text = Prose.Chapter(size, seed: (ulong)size);
            var words = ExtractiveCount(text);
            var request = new TextSummaryRequest(new ChapterHeading(1, "Generated"), text, SummaryScope.Chapter, SummaryWords);
            var warm = await provider.SummarizeTextAsync(book, request);
            for (var w = 1; w < WarmUps; w++)
            {
                _ = await provider.SummarizeTextAsync(book, request);
            }

            var times = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                // A collection before each run, so one run does not pay for the garbage of the one before.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var started = Stopwatch.GetTimestamp();
                var summary = await provider.SummarizeTextAsync(book, request);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (summary.Text != warm.Text)
                {
                    throw new InvalidOperationException("The summary changed between runs: it is meant to be deterministic.");
                }
            }

            times.Sort();
            var median = times[times.Count / 2];
            perThousand[size] = median / (words / 1_000.0);
            Console.WriteLine($"| {words:N0}{(size == BeyondCap ? " (above the sentence cap)" : string.Empty)} | {Sentences(text):N0} | {ExtractiveCount(warm.Text)} | {median:0.0} | {times[0]:0.0} | {times[^1]:0.0} | {perThousand[size]:0.00} |");
        }

        // The bound: 2,000 sentences (the cap), each linked to every other (30 of the same 31 words in each), the O(n²) at its worst.
        var dense = string.Join(' ', Enumerable.Range(0, 2_000).Select(i => "Term" + string.Join(" term", Enumerable.Range(0, 31).Where(t => t != i % 31)) + "."));
        var denseRequest = new TextSummaryRequest(new ChapterHeading(1, "Dense"), dense, SummaryScope.Chapter, SummaryWords);
        _ = await provider.SummarizeTextAsync(book, denseRequest);
        var denseTimes = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var started = Stopwatch.GetTimestamp();
            _ = await provider.SummarizeTextAsync(book, denseRequest);
            denseTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        denseTimes.Sort();
        Console.WriteLine($"| {ExtractiveCount(dense):N0} (worst case: 2,000 sentences all alike) | 2,000 | – | {denseTimes[2]:0.0} | {denseTimes[0]:0.0} | {denseTimes[^1]:0.0} | {denseTimes[2] / (ExtractiveCount(dense) / 1_000.0):0.00} |");
        Console.WriteLine();
        Console.WriteLine($"ms / 1k words, 20k ÷ 2k: {perThousand[20_000] / perThousand[2_000]:0.00} (1.0 would be linear; 10 would be fully quadratic)");
    }

    private static int ExtractiveCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));

    private static int Sentences(string text) => text.Count(c => c is '.' or '?' or '!');
}
