using System.Globalization;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>The command line: <c>&lt;scenario&gt; [--option value]...</c>, with per-scenario defaults.</summary>
internal sealed class CampaignOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project benchmarks/BookBytes.Benchmarks.Reliability -- <scenario> [options]
          scenarios: faults | burst | kill | truncate
          --seed N              seed of every random choice (default 1)
          --books N             books to process (faults 10, burst 5, kill 1, truncate 1)
          --chapters N          chapters per book (faults 6, burst 6, kill 12, truncate 3)
          --fault-rate P        share of LLM and speech calls answered 429 (Retry-After: 1) or 500, half each (faults 0.3, else 0)
          --burst-start S       every LLM/speech call answers 429 from S seconds after the first POST ... (burst 10)
          --burst-end S         ... until S seconds (burst 30)
          --cycles N            kill: kill -9 cycles (15)
          --kill-min S, --kill-max S   kill: delay after the job is running again before the kill (1, 6)
          --speech-delay-min MS, --speech-delay-max MS   time a successful speech answer takes (burst 1500..3000, kill 300..800, else 0)
          --chat-delay-min MS, --chat-delay-max MS       time a successful chat answer takes (kill 2000..4000, burst 1000..2000, else 0)
          --truncate-fraction P truncate: share of speech answers cut to half their frames (0.5)
          --truncate-first N    truncate: cut the first N speech answers instead of a fraction
          --timeout S           overall limit for the books to reach a terminal state (faults/burst/truncate 900, kill 1500)
          --host-log LEVEL      host log level (Warning); --verbose echoes the host's output
          --keep                keep the temp directory (database, audio) for inspection
        """;

    public required string Scenario { get; init; }

    public int Seed { get; init; } = 1;

    public int Books { get; init; }

    public int Chapters { get; init; }

    public double FaultRate { get; init; }

    public double? BurstStart { get; init; }

    public double? BurstEnd { get; init; }

    public int Cycles { get; init; }

    public double KillMinSeconds { get; init; }

    public double KillMaxSeconds { get; init; }

    public int SpeechDelayMinMs { get; init; }

    public int SpeechDelayMaxMs { get; init; }

    public int ChatDelayMinMs { get; init; }

    public int ChatDelayMaxMs { get; init; }

    public double TruncateFraction { get; init; }

    public int TruncateFirst { get; init; }

    public TimeSpan Timeout { get; init; }

    public string HostLogLevel { get; init; } = "Warning";

    public bool Verbose { get; init; }

    public bool Keep { get; init; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with the problem.</summary>
    public static CampaignOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("No scenario given.");
        }

        var scenario = args[0].ToLowerInvariant();
        if (scenario is not ("faults" or "burst" or "kill" or "truncate"))
        {
            throw new ArgumentException($"Unknown scenario '{args[0]}'.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "--verbose" or "--keep")
            {
                flags.Add(name);
            }
            else if (name.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{name}'.");
            }
        }

        int Int(string name, int fallback) => values.Remove(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Real(string name, double fallback) => values.Remove(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double? OptionalReal(string name, double? fallback) => values.Remove(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        var kill = scenario == "kill";
        var burst = scenario == "burst";
        var options = new CampaignOptions
        {
            Scenario = scenario,
            Seed = Int("--seed", 1),
            Books = Int("--books", scenario switch { "faults" => 10, "burst" => 5, _ => 1 }),
            Chapters = Int("--chapters", scenario switch { "kill" => 12, "truncate" => 3, _ => 6 }),
            FaultRate = Real("--fault-rate", scenario == "faults" ? 0.3 : 0),
            BurstStart = OptionalReal("--burst-start", scenario == "burst" ? 10 : null),
            BurstEnd = OptionalReal("--burst-end", scenario == "burst" ? 30 : null),
            Cycles = Int("--cycles", 15),
            KillMinSeconds = Real("--kill-min", 1),
            KillMaxSeconds = Real("--kill-max", 6),
            // Without latency the burst scenario's books finish before the window opens.
            SpeechDelayMinMs = Int("--speech-delay-min", kill ? 300 : burst ? 1500 : 0),
            SpeechDelayMaxMs = Int("--speech-delay-max", kill ? 800 : burst ? 3000 : 0),
            // kill: slow enough summaries that the job lasts longer than a kill delay (12 summaries, 4 at a time).
            ChatDelayMinMs = Int("--chat-delay-min", kill ? 2000 : burst ? 1000 : 0),
            ChatDelayMaxMs = Int("--chat-delay-max", kill ? 4000 : burst ? 2000 : 0),
            TruncateFraction = Real("--truncate-fraction", scenario == "truncate" ? 0.5 : 0),
            TruncateFirst = Int("--truncate-first", 0),
            Timeout = TimeSpan.FromSeconds(Real("--timeout", kill ? 1500 : 900)),
            HostLogLevel = values.Remove("--host-log", out var level) ? level : "Warning",
            Verbose = flags.Contains("--verbose"),
            Keep = flags.Contains("--keep"),
        };

        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys)}.");
        }

        if (options.Books < 1 || options.Chapters < 1 || options.FaultRate is < 0 or > 1 || options.TruncateFraction is < 0 or > 1
            || options.SpeechDelayMaxMs < options.SpeechDelayMinMs || options.ChatDelayMaxMs < options.ChatDelayMinMs || options.KillMaxSeconds < options.KillMinSeconds
            || options.BurstStart.HasValue != options.BurstEnd.HasValue || options.BurstEnd < options.BurstStart)
        {
            throw new ArgumentException("An option is out of range (books/chapters >= 1, rates in 0..1, min <= max, burst start <= end, both or neither).");
        }

        return options;
    }
}
