using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>A job as <c>GET /api/v1/jobs/{id}</c> shows it.</summary>
internal sealed record JobState(string Status, int Attempt, int MaxAttempts, int Progress, string? CurrentStep, string? ErrorCode, string? ErrorMessage, int Rescues = 0)
{
    /// <summary>The job's own timestamps (the host's clock).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public bool IsTerminal => Status is "Completed" or "Failed";
}

/// <summary>A chapter of <c>GET /api/v1/audiobooks/{id}</c>.</summary>
internal sealed record ChapterState(int Number, string Title, string Status, string? Summary, double? DurationSeconds, string? ErrorMessage);

/// <summary>An audiobook as <c>GET /api/v1/audiobooks/{id}</c> shows it.</summary>
internal sealed record AudioBookState(string Status, int Version, IReadOnlyList<ChapterState> Chapters);

/// <summary>The REST calls the campaign makes. Every call has its own time limit.</summary>
internal sealed class HostApi(HttpClient client)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    public Task<(Guid JobId, Guid AudioBookId)> ProcessAsync(string hostUrl, string isbn, CancellationToken cancellationToken)
        => ProcessAsync(hostUrl, isbn, summaryWords: null, cancellationToken);

    /// <summary><c>POST /api/v1/books/process</c> for an ISBN, with the target words of each summary when given.</summary>
    public async Task<(Guid JobId, Guid AudioBookId)> ProcessAsync(string hostUrl, string isbn, int? summaryWords, CancellationToken cancellationToken)
    {
        using var timeout = Limit(cancellationToken);
        object request = summaryWords is { } words ? new { isbn, summaryWords = words } : new { isbn };
        using var response = await client.PostAsJsonAsync(new Uri(hostUrl + "/api/v1/books/process"), request, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/v1/books/process {{isbn: {isbn}}} answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("jobId").GetGuid(), json.RootElement.GetProperty("audioBookId").GetGuid());
    }

    /// <summary>The job; null when the host cannot be reached (it may be down on purpose).</summary>
    public async Task<JobState?> JobAsync(string hostUrl, Guid jobId, CancellationToken cancellationToken)
    {
        var json = await GetAsync(hostUrl + $"/api/v1/jobs/{jobId:D}", cancellationToken);
        if (json is not { } root)
        {
            return null;
        }

        return new JobState(
            root.GetProperty("status").GetString()!,
            root.GetProperty("attempt").GetInt32(),
            root.GetProperty("maxAttempts").GetInt32(),
            root.GetProperty("progress").GetInt32(),
            Text(root, "currentStep"),
            Text(root, "errorCode"),
            Text(root, "errorMessage"),
            root.TryGetProperty("rescues", out var rescues) ? rescues.GetInt32() : 0)
        {
            CreatedAt = Time(root, "createdAt"),
            StartedAt = Time(root, "startedAt"),
            CompletedAt = Time(root, "completedAt"),
        };
    }

    public async Task<AudioBookState?> AudioBookAsync(string hostUrl, Guid audioBookId, CancellationToken cancellationToken)
    {
        var json = await GetAsync(hostUrl + $"/api/v1/audiobooks/{audioBookId:D}", cancellationToken);
        if (json is not { } root)
        {
            return null;
        }

        var chapters = root.GetProperty("chapters").EnumerateArray().Select(c => new ChapterState(
            c.GetProperty("number").GetInt32(),
            c.GetProperty("title").GetString()!,
            c.GetProperty("status").GetString()!,
            Text(c, "summary"),
            c.TryGetProperty("durationSeconds", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null,
            Text(c, "errorMessage"))).ToList();
        return new AudioBookState(root.GetProperty("status").GetString()!, root.GetProperty("version").GetInt32(), chapters);
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;

    private static CancellationTokenSource Limit(CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(CallTimeout);
        return cts;
    }

    private async Task<JsonElement?> GetAsync(string url, CancellationToken cancellationToken)
    {
        using var timeout = Limit(cancellationToken);
        try
        {
            using var response = await client.GetAsync(new Uri(url), timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            return json.RootElement.Clone();
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
