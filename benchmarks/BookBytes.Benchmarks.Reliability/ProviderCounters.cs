using System.Collections.Concurrent;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>One request the fake servers answered (or lost: status 499 when the client went away first).</summary>
internal sealed record RequestRecord(TimeSpan At, string Path, int Status, string? SpeechInput, bool Truncated, string? Marker);

/// <summary>A request the fake has received and not yet answered.</summary>
internal sealed record InFlightRequest(string Path, string? Marker, TimeSpan Since);

/// <summary>What the fake servers saw. Thread-safe.</summary>
internal sealed class ProviderCounters
{
    public const string Speech = "/v1/audio/speech";
    public const string Chat = "/v1/chat/completions";
    public const int ClientGone = 499;

    private readonly ConcurrentQueue<RequestRecord> _requests = new();
    private readonly ConcurrentDictionary<long, InFlightRequest> _inFlight = new();
    private long _nextId;

    public IReadOnlyList<RequestRecord> Requests => [.. _requests];

    public long Begin(InFlightRequest request)
    {
        var id = Interlocked.Increment(ref _nextId);
        _inFlight[id] = request;
        return id;
    }

    public void End(long id, RequestRecord record)
    {
        _inFlight.TryRemove(id, out _);
        _requests.Enqueue(record);
    }

    public IReadOnlyList<InFlightRequest> InFlight() => [.. _inFlight.Values];

    public IEnumerable<RequestRecord> SpeechRequests => _requests.Where(r => r.Path == Speech);

    public int Count(string path, int? status = null) => _requests.Count(r => r.Path == path && (status is null || r.Status == status));

    public int DistinctSpeechTexts => SpeechRequests.Select(r => r.SpeechInput).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Successful (200, delivered) speech answers per input text.</summary>
    public IReadOnlyDictionary<string, int> SuccessfulSpeechPerText()
        => SpeechRequests.Where(r => r.Status == 200).GroupBy(r => r.SpeechInput!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public int Truncated => SpeechRequests.Count(r => r.Truncated);
}
