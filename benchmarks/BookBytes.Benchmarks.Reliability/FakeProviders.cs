using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>
/// Fake Open Library and fake OpenAI-compatible API (chat completions and speech) in this process, on one
/// Kestrel listener on loopback: Open Library at the root, OpenAI under <c>/v1</c>. Faults come from the
/// <see cref="FaultPlan"/>; every request ends up in <see cref="Counters"/>.
/// </summary>
internal sealed partial class FakeProviders : IAsyncDisposable
{
    /// <summary>About 15 characters a second at speed 1: what the speech answers last.</summary>
    public const double CharactersPerSecond = 15;

    private const string RateLimitBody = """{"error":{"message":"Rate limit reached for requests (fake). Please try again in 1s.","type":"requests","param":null,"code":"rate_limit_exceeded"}}""";
    private const string ServerErrorBody = """{"error":{"message":"The server had an error while processing your request (fake).","type":"server_error","param":null,"code":null}}""";

    private readonly WebApplication _app;
    private readonly FaultPlan _plan;
    private readonly FakeOpenLibrary _catalog;
    private readonly Dictionary<int, CampaignBook> _booksByNumber;
    private readonly Stopwatch _runClock = new();
    private int _outlineRequests;
    private int _unrecognised;

    private FakeProviders(WebApplication app, FaultPlan plan, IReadOnlyList<CampaignBook> books)
    {
        _app = app;
        _plan = plan;
        _catalog = new FakeOpenLibrary(books, tableOfContents: true);
        _booksByNumber = books.ToDictionary(b => b.Number);
    }

    public ProviderCounters Counters { get; } = new();

    public string CatalogUrl => _app.Urls.First();

    public string OpenAiEndpoint => CatalogUrl + "/v1";

    public int CatalogRequests => _catalog.Requests;

    public int OutlineRequests => Volatile.Read(ref _outlineRequests);

    public int UnrecognisedRequests => Volatile.Read(ref _unrecognised);

    /// <summary>The time since <see cref="StartRunClock"/>; the burst window is measured on it.</summary>
    public TimeSpan RunTime => _runClock.Elapsed;

    public static async Task<FakeProviders> StartAsync(FaultPlan plan, IReadOnlyList<CampaignBook> books, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeProviders(app, plan, books);
        fake._catalog.Map(app);
        app.MapPost(ProviderCounters.Chat, fake.ChatAsync);
        app.MapPost(ProviderCounters.Speech, fake.SpeechAsync);
        await app.StartAsync(cancellationToken);
        return fake;
    }

    public void StartRunClock() => _runClock.Start();

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }

    private async Task ChatAsync(HttpContext context)
    {
        var at = RunTime;
        using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        var prompt = AllText(body.RootElement);
        var schema = body.RootElement.TryGetProperty("response_format", out var format) && format.TryGetProperty("json_schema", out var s)
            && s.TryGetProperty("name", out var name) ? name.GetString() : null;
        var target = SummaryTarget().Match(prompt);
        var marker = target.Success ? target.Groups[2].Value : CampaignBook.FindMarker(prompt);
        var id = Counters.Begin(new InFlightRequest(ProviderCounters.Chat, marker, at));
        var status = 0;
        try
        {
            string content;
            if (schema == "book_outline")
            {
                Interlocked.Increment(ref _outlineRequests);
                var titles = OutlineTitle().Matches(prompt).Select(m => m.Groups[1].Value.Trim()).ToList();
                content = JsonSerializer.Serialize(new { known = titles.Count > 0, chapters = titles.Select((t, i) => new { number = i + 1, title = t }) });
            }
            else if (target.Success && FindChapter(marker) is var (book, chapter))
            {
                content = JsonSerializer.Serialize(new { summary = SummaryText.For(marker!, chapter, book.Title, book.Author) });
            }
            else
            {
                Interlocked.Increment(ref _unrecognised);
                status = 400;
                await WriteAsync(context, 400, """{"error":{"message":"The fake does not recognise this chat request.","type":"invalid_request_error","param":null,"code":null}}""");
                return;
            }

            // Failures answer at once, as a rate limiter or a failing gateway does; answers take the model's time.
            var key = "chat:" + (marker ?? schema);
            var n = _plan.Ask(key);
            status = _plan.FailureFor(key, n, RunTime);
            if (status != 0)
            {
                await FailAsync(context, status);
                return;
            }

            if (_plan.ChatDelayMax > TimeSpan.Zero)
            {
                await Task.Delay(_plan.DelayFor(_plan.ChatDelayMin, _plan.ChatDelayMax, key, n), context.RequestAborted);
            }

            status = 200;
            if (body.RootElement.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync(ChatCompletionJson.Events(content), context.RequestAborted);
            }
            else
            {
                await WriteAsync(context, 200, ChatCompletionJson.Completion(content));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            status = ProviderCounters.ClientGone;
        }
        finally
        {
            Counters.End(id, new RequestRecord(at, ProviderCounters.Chat, context.RequestAborted.IsCancellationRequested ? ProviderCounters.ClientGone : status, null, false, marker));
        }
    }

    private async Task SpeechAsync(HttpContext context)
    {
        var at = RunTime;
        using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        var input = body.RootElement.TryGetProperty("input", out var i) ? i.GetString() ?? "" : "";
        var speed = body.RootElement.TryGetProperty("speed", out var sp) && sp.ValueKind == JsonValueKind.Number ? sp.GetDouble() : 1.0;
        var marker = CampaignBook.FindMarker(input);
        var id = Counters.Begin(new InFlightRequest(ProviderCounters.Speech, marker, at));
        var status = 0;
        var truncated = false;
        try
        {
            var key = "speech:" + input;
            var n = _plan.Ask(key);
            status = _plan.FailureFor(key, n, RunTime);
            if (status != 0)
            {
                await FailAsync(context, status);
                return;
            }

            if (_plan.SpeechDelayMax > TimeSpan.Zero)
            {
                await Task.Delay(_plan.DelayFor(_plan.SpeechDelayMin, _plan.SpeechDelayMax, key, n), context.RequestAborted);
            }

            var frames = SilentMp3.FramesFor(input.Length / CharactersPerSecond / (speed > 0 ? speed : 1));
            truncated = _plan.Truncate(key, n);
            var audio = SilentMp3.Build(truncated ? Math.Max(1, frames / 2) : frames);
            status = 200;
            context.Response.StatusCode = 200;
            context.Response.ContentType = "audio/mpeg";
            context.Response.ContentLength = audio.Length;
            await context.Response.Body.WriteAsync(audio, context.RequestAborted);
            await context.Response.CompleteAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            status = ProviderCounters.ClientGone;
        }
        finally
        {
            Counters.End(id, new RequestRecord(at, ProviderCounters.Speech, context.RequestAborted.IsCancellationRequested ? ProviderCounters.ClientGone : status, input, truncated, marker));
        }
    }

    private (CampaignBook Book, int Chapter)? FindChapter(string? marker)
    {
        var m = marker is null ? null : MarkerParts().Match(marker);
        return m is { Success: true } && _booksByNumber.TryGetValue(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), out var book)
            && int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) is var chapter && chapter <= book.ChapterTitles.Count
            ? (book, chapter)
            : null;
    }

    private static Task FailAsync(HttpContext context, int status)
    {
        if (status == 429)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return WriteAsync(context, status, status == 429 ? RateLimitBody : ServerErrorBody);
    }

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
        await context.Response.CompleteAsync();
    }

    private static string AllText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Object => string.Join('\n', element.EnumerateObject().Select(p => AllText(p.Value))),
        JsonValueKind.Array => string.Join('\n', element.EnumerateArray().Select(AllText)),
        _ => string.Empty,
    };

    // ChatPrompts.Summary: Chapter to summarise: chapter {n}, "{title}"
    [GeneratedRegex(@"Chapter to summarise: chapter (\d+), ""[^""\n]*?(zq\d+x\d+)")]
    private static partial Regex SummaryTarget();

    [GeneratedRegex(@"^zq(\d+)x(\d+)$")]
    private static partial Regex MarkerParts();

    // ChatPrompts.Outline lists the catalog's titles as "1. title".
    [GeneratedRegex(@"^\d+\. (.+)$", RegexOptions.Multiline)]
    private static partial Regex OutlineTitle();
}
