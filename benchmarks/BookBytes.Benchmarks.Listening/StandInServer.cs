using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BookBytes.Benchmarks.Reliability;

namespace BookBytes.Benchmarks.Listening;

/// <summary>
/// An OpenAI-compatible stand-in (chat completions, streamed as server-sent events when asked, and speech) plus the
/// reliability campaign's fake Open Library without tables of contents, on one Kestrel listener on loopback. Answers follow
/// the <see cref="StandInModel"/>; every request is logged on the benchmark's clock. Thread-safe.
/// </summary>
internal sealed partial class StandInServer : IAsyncDisposable
{
    private static readonly byte[] Done = Encoding.ASCII.GetBytes("data: [DONE]\n\n");

    private readonly WebApplication _app;
    private readonly StandInModel _model;
    private readonly Stopwatch _clock;
    private readonly Dictionary<int, CampaignBook> _books;
    private readonly FakeOpenLibrary _catalog;
    private readonly ConcurrentDictionary<(int Book, int Chapter), GeneratedSummary> _summaries = new();
    private readonly ConcurrentQueue<StandInCall> _calls = new();

    private StandInServer(WebApplication app, StandInModel model, Stopwatch clock, IReadOnlyList<CampaignBook> books)
    {
        _app = app;
        _model = model;
        _clock = clock;
        _books = books.ToDictionary(b => b.Number);
        _catalog = new FakeOpenLibrary(books, tableOfContents: false);
    }

    public string CatalogUrl => _app.Urls.First();

    public string OpenAiEndpoint => CatalogUrl + "/v1";

    public int CatalogRequests => _catalog.Requests;

    public IReadOnlyList<StandInCall> Calls => [.. _calls];

    public static async Task<StandInServer> StartAsync(StandInModel model, Stopwatch clock, IReadOnlyList<CampaignBook> books, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new StandInServer(app, model, clock, books);
        server._catalog.Map(app);
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        app.MapPost("/v1/audio/speech", server.SpeechAsync);
        app.MapFallback(context =>
        {
            server._calls.Enqueue(new StandInCall(StandInCall.Other, 0, 0, false, clock.Elapsed, clock.Elapsed, clock.Elapsed, 0, 404));
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        await app.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>The summary the stand-in answers (or will answer) for a chapter.</summary>
    public GeneratedSummary Summary(int book, int chapter, int words)
        => _summaries.GetOrAdd((book, chapter), key =>
        {
            var b = _books[key.Book];
            return GeneratedSummary.Write(key.Book, key.Chapter, b.Title, b.Author, b.ChapterTitles[key.Chapter - 1], words);
        });

    /// <summary>The outline the stand-in answers for a book: its chapters, numbered from 1.</summary>
    public string OutlineContent(int book)
        => JsonSerializer.Serialize(new { known = true, chapters = _books[book].ChapterTitles.Select((t, i) => new { number = i + 1, title = t }) });

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
        var arrived = _clock.Elapsed;
        using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        var root = body.RootElement;
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var usage = root.TryGetProperty("stream_options", out var so) && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
        var schema = root.TryGetProperty("response_format", out var format) && format.TryGetProperty("json_schema", out var js)
            && js.TryGetProperty("name", out var name) ? name.GetString() : null;
        var prompt = root.TryGetProperty("messages", out var messages) ? string.Join('\n', messages.EnumerateArray().Select(m => m.TryGetProperty("content", out var c) ? c.ToString() : "")) : "";
        var book = BookTitle().Match(prompt) is { Success: true } bm ? int.Parse(bm.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        string kind;
        string? content = null;
        var chapter = 0;
        if (!_books.ContainsKey(book))
        {
            kind = StandInCall.Other;
        }
        else if (schema == "book_outline")
        {
            kind = StandInCall.Outline;
            content = OutlineContent(book);
        }
        else if (schema == "chapter_summary" && SummaryTarget().Match(prompt) is { Success: true } target)
        {
            kind = StandInCall.Summary;
            chapter = int.Parse(target.Groups[1].Value, CultureInfo.InvariantCulture);
            var words = SummaryWords().Match(prompt) is { Success: true } w ? int.Parse(w.Groups[1].Value, CultureInfo.InvariantCulture) : 500;
            content = chapter <= _books[book].ChapterTitles.Count ? Summary(book, chapter, words).Content : null;
        }
        else
        {
            kind = StandInCall.Other;
        }

        if (content is null)
        {
            _calls.Enqueue(new StandInCall(kind, book, chapter, stream, arrived, _clock.Elapsed, _clock.Elapsed, 0, 400));
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"The stand-in does not recognise this chat request.","type":"invalid_request_error","param":null,"code":null}}""", context.RequestAborted);
            return;
        }

        var tokens = _model.Tokens(content.Length);
        var promptTokens = _model.Tokens(prompt.Length);
        var status = 200;
        var firstByte = TimeSpan.Zero;
        try
        {
            if (!stream)
            {
                await UntilAsync(arrived + _model.ChatTime(tokens), context.RequestAborted);
                firstByte = _clock.Elapsed;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(ChatCompletionJson.Completion(content, promptTokens, tokens), context.RequestAborted);
            }
            else
            {
                firstByte = await StreamAsync(context, arrived, content, tokens, usage ? promptTokens : null);
            }

            await context.Response.CompleteAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            status = 499;
        }
        finally
        {
            _calls.Enqueue(new StandInCall(kind, book, chapter, stream, arrived, firstByte, _clock.Elapsed, tokens, status));
        }
    }

    /// <summary>
    /// chat.completion.chunk events as OpenAI sends them: each piece of content written and flushed when its last token is
    /// out, a final chunk with <c>finish_reason</c> stop, the usage chunk (empty <c>choices</c>) when asked, then <c>[DONE]</c>.
    /// Returns when the first event was written.
    /// </summary>
    private async Task<TimeSpan> StreamAsync(HttpContext context, TimeSpan arrived, string content, int tokens, int? promptTokens)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var id = ChatCompletionJson.NewId();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var pieceCharacters = _model.CharactersPerToken * _model.TokensPerPiece;
        var pieces = (content.Length + pieceCharacters - 1) / pieceCharacters;
        var firstByte = TimeSpan.Zero;
        var next = 0;
        var events = new StringBuilder();
        while (next < pieces)
        {
            // Every piece whose time has come goes out in one write; a late writer catches up instead of drifting.
            var lastToken = Math.Min(tokens, (next + 1) * _model.TokensPerPiece);
            await UntilAsync(arrived + _model.TokenTime(lastToken, tokens), context.RequestAborted);
            var now = _clock.Elapsed - arrived;
            events.Clear();
            do
            {
                var piece = content.Substring(next * pieceCharacters, Math.Min(pieceCharacters, content.Length - (next * pieceCharacters)));
                object delta = next == 0 ? new { role = "assistant", content = piece, refusal = (string?)null } : new { content = piece };
                Event(events, new { id, @object = "chat.completion.chunk", created, model = ChatCompletionJson.Model, system_fingerprint = "fp_standin", choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = (string?)null } }, usage = (object?)null });
                next++;
            }
            while (next < pieces && _model.TokenTime(Math.Min(tokens, (next + 1) * _model.TokensPerPiece), tokens) <= now);

            if (next == pieces)
            {
                Event(events, new { id, @object = "chat.completion.chunk", created, model = ChatCompletionJson.Model, system_fingerprint = "fp_standin", choices = new[] { new { index = 0, delta = new { }, logprobs = (object?)null, finish_reason = "stop" } }, usage = (object?)null });
                if (promptTokens is { } p)
                {
                    Event(events, new { id, @object = "chat.completion.chunk", created, model = ChatCompletionJson.Model, system_fingerprint = "fp_standin", choices = Array.Empty<object>(), usage = new { prompt_tokens = p, completion_tokens = tokens, total_tokens = p + tokens } });
                }
            }

            await response.WriteAsync(events.ToString(), context.RequestAborted);
            if (next == pieces)
            {
                await response.Body.WriteAsync(Done, context.RequestAborted);
            }

            await response.Body.FlushAsync(context.RequestAborted);
            if (firstByte == TimeSpan.Zero)
            {
                firstByte = _clock.Elapsed;
            }
        }

        return firstByte;
    }

    private static void Event(StringBuilder events, object chunk) => events.Append("data: ").Append(JsonSerializer.Serialize(chunk)).Append("\n\n");

    private async Task SpeechAsync(HttpContext context)
    {
        var arrived = _clock.Elapsed;
        using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        var input = body.RootElement.TryGetProperty("input", out var i) ? i.GetString() ?? "" : "";
        var speed = body.RootElement.TryGetProperty("speed", out var sp) && sp.ValueKind == JsonValueKind.Number ? sp.GetDouble() : 1.0;
        var (book, chapter) = FindChapter(input);
        var status = 200;
        var firstByte = TimeSpan.Zero;
        try
        {
            await UntilAsync(arrived + _model.SpeechTime(input.Length), context.RequestAborted);
            // Silent audio lasting as long as the text takes to say (the host checks about 15 characters a second).
            var audio = SilentMp3.Build(SilentMp3.FramesFor(input.Length / FakeProviders.CharactersPerSecond / (speed > 0 ? speed : 1)));
            firstByte = _clock.Elapsed;
            context.Response.ContentType = "audio/mpeg";
            context.Response.ContentLength = audio.Length;
            await context.Response.Body.WriteAsync(audio, context.RequestAborted);
            await context.Response.CompleteAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            status = 499;
        }
        finally
        {
            _calls.Enqueue(new StandInCall(StandInCall.Speech, book, chapter, false, arrived, firstByte, _clock.Elapsed, input.Length, status));
        }
    }

    /// <summary>The chapter whose summary contains the speech input (whitespace runs compared as one space); (0, 0) when none does.</summary>
    private (int Book, int Chapter) FindChapter(string input)
    {
        var wanted = Squeeze(input);
        foreach (var summary in _summaries.Values)
        {
            if (Squeeze(summary.Text).Contains(wanted, StringComparison.Ordinal))
            {
                return (summary.Book, summary.Chapter);
            }
        }

        return (0, 0);
    }

    private static string Squeeze(string text) => Whitespace().Replace(text, " ").Trim();

    private async Task UntilAsync(TimeSpan due, CancellationToken cancellationToken)
    {
        var wait = due - _clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    [GeneratedRegex(@"Listening Book (\d+)")]
    private static partial Regex BookTitle();

    // ChatPrompts.Summary: Chapter to summarise: chapter {n}, "{title}"
    [GeneratedRegex(@"Chapter to summarise: chapter (\d+),")]
    private static partial Regex SummaryTarget();

    [GeneratedRegex(@"summary of about (\d+) words")]
    private static partial Regex SummaryWords();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
