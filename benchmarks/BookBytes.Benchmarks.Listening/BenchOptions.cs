using System.Globalization;

namespace BookBytes.Benchmarks.Listening;

/// <summary>The command line: <c>listen [--streaming on|off|both] [--runs N]</c> or <c>p1 [--runs N]</c> or <c>check-stream</c>, and the model's numbers.</summary>
internal sealed record BenchOptions(string Scenario)
{
    public const string Usage = """
        usage: listen [--streaming on|off|both] [--runs N] [--chapters N]
               p1 [--runs N]                      (warm runs after the first job; 5)
               check-stream                       (the stand-in read by the OpenAI SDK, streamed and not)
        model (listen): --first-token S (0.4) --tokens-per-second N (100) --chars-per-token N (4) --tokens-per-event N (1)
                        --speech-base S (0.3) --speech-cps N (100)
        host:           --host-log LEVEL (Warning) --verbose (echo the host's output) --timeout S (900)
        """;

    public string Streaming { get; init; } = "both";

    public int? Runs { get; init; }

    public int Chapters { get; init; } = 20;

    public StandInModel Model { get; init; } = new();

    public string HostLogLevel { get; init; } = "Warning";

    public bool Verbose { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(900);

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("listen" or "p1" or "check-stream"))
        {
            throw new ArgumentException("Name a scenario: listen, p1 or check-stream.");
        }

        var options = new BenchOptions(args[0]);
        for (var i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            double Number() => double.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--streaming" => options with { Streaming = Value() is var s && s is "on" or "off" or "both" ? s : throw new ArgumentException("--streaming is on, off or both.") },
                "--runs" => options with { Runs = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--chapters" => options with { Chapters = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--first-token" => options with { Model = options.Model with { ChatFirstToken = TimeSpan.FromSeconds(Number()) } },
                "--tokens-per-second" => options with { Model = options.Model with { ChatTokensPerSecond = Number() } },
                "--chars-per-token" => options with { Model = options.Model with { CharactersPerToken = int.Parse(Value(), CultureInfo.InvariantCulture) } },
                "--tokens-per-event" => options with { Model = options.Model with { TokensPerPiece = int.Parse(Value(), CultureInfo.InvariantCulture) } },
                "--speech-base" => options with { Model = options.Model with { SpeechBase = TimeSpan.FromSeconds(Number()) } },
                "--speech-cps" => options with { Model = options.Model with { SpeechCharactersPerSecond = Number() } },
                "--host-log" => options with { HostLogLevel = Value() },
                "--verbose" => options with { Verbose = true },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Number()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return options;
    }
}
