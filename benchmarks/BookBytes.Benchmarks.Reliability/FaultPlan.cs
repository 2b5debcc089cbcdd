using System.Collections.Concurrent;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>What the fake provider does wrong, and when. Thread-safe.</summary>
/// <remarks>
/// Random decisions are keyed by the request's content (the chapter marker of a summary request, the text of
/// a speech request) and by how many times that content was asked for, not by arrival order: the same seed
/// gives the same faults to the same calls however the host interleaves them.
/// </remarks>
internal sealed class FaultPlan
{
    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);
    private int _speechAnswers;

    public int Seed { get; init; }

    /// <summary>Share of LLM and speech calls answered 429 (Retry-After: 1) or 500, half each.</summary>
    public double FailureRate { get; init; }

    /// <summary>Every LLM and speech call answers 429 from this time of the run ...</summary>
    public TimeSpan? BurstStart { get; init; }

    /// <summary>... to this one.</summary>
    public TimeSpan? BurstEnd { get; init; }

    /// <summary>Share of successful speech answers cut to half their frames.</summary>
    public double TruncateFraction { get; init; }

    /// <summary>The first N successful speech answers are cut to half (instead of a share).</summary>
    public int TruncateFirst { get; init; }

    public TimeSpan SpeechDelayMin { get; init; }

    public TimeSpan SpeechDelayMax { get; init; }

    /// <summary>Counts one more request for <paramref name="key"/> and returns its number (1 for the first).</summary>
    public int Ask(string key) => _asked.AddOrUpdate(key, 1, (_, n) => n + 1);

    public bool InBurst(TimeSpan runTime)
        => BurstStart is { } start && BurstEnd is { } end && runTime >= start && runTime < end;

    /// <summary>The status to fail the <paramref name="n"/>th request for <paramref name="key"/> with; 0 to answer it.</summary>
    public int FailureFor(string key, int n, TimeSpan runTime)
    {
        if (InBurst(runTime))
        {
            return 429;
        }

        if (FailureRate > 0 && StableHash.Unit(Seed, "fail", key, n) < FailureRate)
        {
            return StableHash.Unit(Seed, "status", key, n) < 0.5 ? 429 : 500;
        }

        return 0;
    }

    public TimeSpan ChatDelayMin { get; init; }

    public TimeSpan ChatDelayMax { get; init; }

    /// <summary>How long the <paramref name="n"/>th successful answer for <paramref name="key"/> takes.</summary>
    public TimeSpan DelayFor(TimeSpan min, TimeSpan max, string key, int n)
        => min + ((max - min) * StableHash.Unit(Seed, "delay", key, n));

    /// <summary>Whether this successful speech answer is cut to half.</summary>
    public bool Truncate(string key, int n)
    {
        if (TruncateFirst > 0)
        {
            return Interlocked.Increment(ref _speechAnswers) <= TruncateFirst;
        }

        return TruncateFraction > 0 && StableHash.Unit(Seed, "truncate", key, n) < TruncateFraction;
    }
}
