using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BookBytes.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BookBytes.Providers.ExtensionsAI.Chat;

/// <summary>
/// An <see cref="ILlmProvider"/> over any Microsoft.Extensions.AI <see cref="IChatClient"/>: OpenAI, Azure
/// OpenAI, Ollama, Anthropic, or whatever the application registers, with its middleware (logging,
/// telemetry, caching). All calls ask for structured output with a strict JSON schema
/// (<see cref="ChatResponseFormat.ForJsonSchema(JsonElement, string?, string?)"/>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="OutlineAsync"/> returns <see cref="BookOutline.Known"/> = <see langword="false"/> (with no
/// chapters) when the model says it does not know the book; the pipeline and
/// <see cref="LlmProviderExtensions.ExtractChaptersAsync"/> turn that answer into a
/// <see cref="Books.BookNotKnownException"/>.
/// </para>
/// <para>
/// Unusable answers throw <see cref="ProviderResponseException"/>: a refusal (an <see cref="ErrorContent"/>
/// in the answer) or a content-filter stop is not transient; an answer cut off at the token limit
/// (<see cref="ChatFinishReason.Length"/>), an empty answer, malformed JSON or JSON that breaks the schema is
/// transient, since asking again may give a usable answer. A <see cref="ProviderException"/> the client
/// throws passes through unchanged (provider packages translate their SDK's errors so); any other failure
/// becomes one: HTTP status 401/403 a <see cref="ProviderConfigurationException"/>, 408, 409, 429 and 5xx
/// transient, other 4xx not; network errors and time-outs transient. Cancelling the caller's token throws
/// <see cref="OperationCanceledException"/>.
/// </para>
/// <para>
/// <see cref="StreamChapterSummaryAsync"/> and <see cref="StreamTextSummaryAsync"/> ask the same with
/// <see cref="IChatClient.GetStreamingResponseAsync"/> and give the summary's characters as they arrive; the answer
/// they return is checked at the end exactly as the non-streaming calls check theirs.
/// </para>
/// <para>Thread-safe when the client is (the clients of Microsoft.Extensions.AI are): one instance serves concurrent calls.</para>
/// </remarks>
public sealed partial class ChatClientLlmProvider : ILlmProvider
{
    private const string OutlineOperation = "Chat completion (outline)";
    private const string SummaryOperation = "Chat completion (chapter summary)";
    private const string TextSummaryOperation = "Chat completion (text summary)";

    private readonly IChatClient _client;
    private readonly string? _modelId;
    private readonly int? _maxOutputTokens;
    private readonly string? _reportedModelId;
    private readonly string _modelName;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance over <paramref name="client"/>.</summary>
    /// <param name="client">The chat client; the provider does not dispose it.</param>
    /// <param name="options">How to ask; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ChatClientLlmOptions.MaxOutputTokens"/> is set and not positive.</exception>
    public ChatClientLlmProvider(IChatClient client, ChatClientLlmOptions? options = null, ILogger<ChatClientLlmProvider>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (options?.MaxOutputTokens is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxOutputTokens, "MaxOutputTokens must be positive when set.");
        }

        _client = client;
        _modelId = string.IsNullOrWhiteSpace(options?.ModelId) ? null : options.ModelId.Trim();
        _maxOutputTokens = options?.MaxOutputTokens;
        var metadata = client.GetService<ChatClientMetadata>();
        _reportedModelId = _modelId ?? (string.IsNullOrWhiteSpace(metadata?.DefaultModelId) ? null : metadata.DefaultModelId.Trim());
        _modelName = _reportedModelId ?? metadata?.ProviderName ?? client.GetType().Name;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="book"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The book has no title.</exception>
    public async Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentException.ThrowIfNullOrWhiteSpace(book.Title, nameof(book));
        Log.OutlineRequested(_logger, _modelName, book.Title);

        var response = await AskAsync(
            OutlineOperation,
            ChatPrompts.OutlineSystem,
            ChatPrompts.Outline(book),
            ChatResponseFormat.ForJsonSchema(ChatSchemas.Outline, ChatSchemas.OutlineName, "The book's real chapters, or known=false."),
            cancellationToken).ConfigureAwait(false);

        var usage = UsageOf(response);
        var outline = Parse(OutlineOperation, ReadText(OutlineOperation, response), root =>
        {
            var known = Required(root, "known", JsonValueKind.True, JsonValueKind.False).GetBoolean();
            var items = Required(root, "chapters", JsonValueKind.Array);
            if (!known)
            {
                return new BookOutline(false, [], usage);
            }

            var chapters = new List<ChapterHeading>(items.GetArrayLength());
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw SchemaViolation("a chapter is not an object");
                }

                var numberElement = Required(item, "number", JsonValueKind.Number);
                if (!numberElement.TryGetInt32(out var number))
                {
                    throw SchemaViolation($"chapter number {numberElement.GetRawText()} is not an integer");
                }

                var title = Required(item, "title", JsonValueKind.String).GetString()!.Trim();
                if (title.Length == 0)
                {
                    throw SchemaViolation($"chapter {number} has an empty title");
                }

                chapters.Add(new ChapterHeading(number, title));
            }

            if (chapters.Count == 0)
            {
                throw SchemaViolation("known is true but the chapter list is empty");
            }

            return new BookOutline(true, chapters, usage);
        });

        Log.OutlineReceived(_logger, book.Title, outline.Known, outline.Chapters.Count, usage.InputTokens, usage.OutputTokens);
        return outline;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="book"/> or <paramref name="chapter"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The book has no title, the chapter no title, or <see cref="BookContext.SummaryWords"/> is not positive.</exception>
    public async Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
    {
        ValidateChapter(book, chapter);
        Log.SummaryRequested(_logger, _modelName, chapter.Number, book.Title);

        var response = await AskAsync(
            SummaryOperation, ChatPrompts.SummarySystem, ChatPrompts.Summary(book, chapter), ChapterSummaryFormat(), cancellationToken).ConfigureAwait(false);

        return ChapterSummaryOf(book, chapter, response, streamed: null);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Asks as <see cref="SummarizeChapterAsync"/> does, with <see cref="IChatClient.GetStreamingResponseAsync"/>, and
    /// gives <paramref name="onText"/> the decoded characters of the answer's <c>summary</c> string as they arrive
    /// (never half an escape or half a surrogate pair). When the answer turns out not to be that JSON, no more text is
    /// given; the answer is then checked whole at the end, as <see cref="SummarizeChapterAsync"/> checks it, and throws
    /// the same exceptions. An exception <paramref name="onText"/> throws ends the call and passes through unchanged.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="book"/>, <paramref name="chapter"/> or <paramref name="onText"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The book has no title, the chapter no title, or <see cref="BookContext.SummaryWords"/> is not positive.</exception>
    public async Task<ChapterSummary> StreamChapterSummaryAsync(
        BookContext book, ChapterHeading chapter, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken = default)
    {
        ValidateChapter(book, chapter);
        ArgumentNullException.ThrowIfNull(onText);
        Log.SummaryRequested(_logger, _modelName, chapter.Number, book.Title);

        var (response, streamed) = await StreamAsync(
            SummaryOperation, ChatPrompts.SummarySystem, ChatPrompts.Summary(book, chapter), ChapterSummaryFormat(), onText, cancellationToken).ConfigureAwait(false);

        return ChapterSummaryOf(book, chapter, response, streamed);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The text goes into the user message verbatim, between the delimiter lines <c>&lt;&lt;&lt;TEXT</c> and
    /// <c>TEXT&gt;&gt;&gt;</c> (another tag when the text contains those), and both messages tell the model that it is
    /// material to summarise, not instructions. A <see cref="SummaryScope.Chapter"/> or
    /// <see cref="SummaryScope.Combination"/> answer starts with a spoken introduction naming the book and the chapter;
    /// a <see cref="SummaryScope.Part"/> answer does not, since the parts are combined later. The answer follows the
    /// same strict schema (<c>summary</c>) and checks as <see cref="SummarizeChapterAsync"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="book"/>, <paramref name="request"/>, its chapter or its text is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The book has no title; the text is empty; <see cref="TextSummaryRequest.Words"/> is not positive; the scope is not
    /// defined; or <see cref="TextSummaryRequest.Part"/> and <see cref="TextSummaryRequest.Parts"/> do not fit it (both 0
    /// for a chapter; 1 ≤ part ≤ parts and at least 2 parts for a part; part 0 and at least 2 parts for a combination).
    /// </exception>
    public async Task<ChapterSummary> SummarizeTextAsync(BookContext book, TextSummaryRequest request, CancellationToken cancellationToken = default)
    {
        ValidateText(book, request);
        Log.TextSummaryRequested(_logger, _modelName, request.Scope, request.Chapter.Number, book.Title, request.Part, request.Parts, request.Text.Length);

        var response = await AskAsync(
            TextSummaryOperation, ChatPrompts.TextSummarySystem, ChatPrompts.TextSummary(book, request), TextSummaryFormat(), cancellationToken).ConfigureAwait(false);

        return TextSummaryOf(book, request, response, streamed: null);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Asks as <see cref="SummarizeTextAsync"/> does, streaming the answer as <see cref="StreamChapterSummaryAsync"/>
    /// does, with the same checks at the end as <see cref="SummarizeTextAsync"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="book"/>, <paramref name="request"/>, its chapter or its text, or <paramref name="onText"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The book or the request is not valid, as for <see cref="SummarizeTextAsync"/>.</exception>
    public async Task<ChapterSummary> StreamTextSummaryAsync(
        BookContext book, TextSummaryRequest request, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken = default)
    {
        ValidateText(book, request);
        ArgumentNullException.ThrowIfNull(onText);
        Log.TextSummaryRequested(_logger, _modelName, request.Scope, request.Chapter.Number, book.Title, request.Part, request.Parts, request.Text.Length);

        var (response, streamed) = await StreamAsync(
            TextSummaryOperation, ChatPrompts.TextSummarySystem, ChatPrompts.TextSummary(book, request), TextSummaryFormat(), onText, cancellationToken).ConfigureAwait(false);

        return TextSummaryOf(book, request, response, streamed);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// An estimate (<see cref="LlmTokens.Estimate"/>): an arbitrary client does not say which tokenizer its model
    /// has. Provider packages that know it count exactly. Thread-safe.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return LlmTokens.Estimate(text);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="ChatClientLlmOptions.ModelId"/> when set, else the model the client's
    /// <see cref="ChatClientMetadata.DefaultModelId"/> names; <see langword="null"/> when neither says.
    /// </remarks>
    public string? ModelId => _reportedModelId;

    internal static string NormalizeParagraphs(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        return ExtraBlankLines().Replace(text, "\n\n");
    }

    private static int CountWords(string text)
        => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static ChatResponseFormatJson ChapterSummaryFormat()
        => ChatResponseFormat.ForJsonSchema(ChatSchemas.Summary, ChatSchemas.SummaryName, "A spoken-style chapter summary.");

    private static ChatResponseFormatJson TextSummaryFormat()
        => ChatResponseFormat.ForJsonSchema(ChatSchemas.Summary, ChatSchemas.TextSummaryName, "A spoken-style summary of the given text only.");

    private static void ValidateChapter(BookContext book, ChapterHeading chapter)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(chapter);
        ArgumentException.ThrowIfNullOrWhiteSpace(book.Title, nameof(book));
        ArgumentException.ThrowIfNullOrWhiteSpace(chapter.Title, nameof(chapter));
        ArgumentOutOfRangeException.ThrowIfLessThan(book.SummaryWords, 1, nameof(book));
    }

    private static void ValidateText(BookContext book, TextSummaryRequest request)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(book.Title, nameof(book));
        Validate(request);
    }

    private static void Validate(TextSummaryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request.Chapter, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Text, nameof(request));
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw new ArgumentException("The text to summarise is empty.", nameof(request));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(request.Words, 1, nameof(request));
        var consistent = request.Scope switch
        {
            SummaryScope.Chapter => request is { Part: 0, Parts: 0 },
            SummaryScope.Part => request.Parts >= 2 && request.Part >= 1 && request.Part <= request.Parts,
            SummaryScope.Combination => request is { Part: 0, Parts: >= 2 },
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Scope, "The summary scope is not defined."),
        };
        if (!consistent)
        {
            throw new ArgumentException(
                string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"Part {request.Part} of {request.Parts} does not fit scope {request.Scope}: a chapter has part and parts 0, a part 1 ≤ part ≤ parts with at least 2 parts, a combination part 0 and at least 2 parts."),
                nameof(request));
        }
    }

    private static LlmUsage UsageOf(ChatResponse response)
        => response.Usage is { } usage ? new LlmUsage(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0) : LlmUsage.Zero;

    private static JsonElement Required(JsonElement parent, string name, params JsonValueKind[] kinds)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw SchemaViolation($"property '{name}' is missing");
        }

        if (Array.IndexOf(kinds, value.ValueKind) < 0)
        {
            throw SchemaViolation($"property '{name}' is {value.ValueKind}, not {string.Join(" or ", kinds)}");
        }

        return value;
    }

    private static SchemaViolationException SchemaViolation(string reason) => new(reason);

    private static string StripCodeFence(string text)
    {
        // Some servers ignore structured output and wrap the JSON in a markdown fence.
        text = text.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
            var closing = text.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLineEnd > 0 && closing > firstLineEnd)
            {
                return text[(firstLineEnd + 1)..closing].Trim();
            }
        }

        return text;
    }

    [GeneratedRegex(@"\n[ \t]*\n(?:[ \t]*\n)+")]
    private static partial Regex ExtraBlankLines();

    private async Task<ChatResponse> AskAsync(
        string operation, string system, string user, ChatResponseFormat format, CancellationToken cancellationToken)
    {
        ChatResponse response;
        try
        {
            response = await _client.GetResponseAsync(Messages(system, user), Options(format), cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            Log.CallFailed(_logger, operation, ex.StatusCode, ex.IsTransient, ex);
            throw;
        }
        catch (Exception ex) when (ClientErrors.IsCallFailure(ex, cancellationToken))
        {
            throw Failed(operation, ex);
        }

        // Some clients (OllamaSharp's) stop quietly when the token is cancelled and return an empty answer:
        // that is the caller's cancellation, not an unusable answer.
        cancellationToken.ThrowIfCancellationRequested();
        return response;
    }

    /// <summary>
    /// Asks as <see cref="AskAsync"/> does, reading the answer as a stream: the summary's characters go to
    /// <paramref name="onText"/> as the decoder makes them certain, and the updates make the whole response at the end.
    /// </summary>
    /// <returns>The response and the text given to <paramref name="onText"/>, joined.</returns>
    private async Task<(ChatResponse Response, string Streamed)> StreamAsync(
        string operation, string system, string user, ChatResponseFormat format, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        var decoder = new SummaryTextDecoder();
        IAsyncEnumerator<ChatResponseUpdate> stream;
        try
        {
            stream = _client.GetStreamingResponseAsync(Messages(system, user), Options(format), cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (ProviderException ex)
        {
            Log.CallFailed(_logger, operation, ex.StatusCode, ex.IsTransient, ex);
            throw;
        }
        catch (Exception ex) when (ClientErrors.IsCallFailure(ex, cancellationToken))
        {
            throw Failed(operation, ex);
        }

        await using (stream.ConfigureAwait(false))
        {
            // Only reading the stream is the call: what onText throws is the caller's and passes through unmapped.
            while (await NextAsync(operation, stream, cancellationToken).ConfigureAwait(false))
            {
                var update = stream.Current;
                updates.Add(update);
                var piece = decoder.Append(update.Text);
                if (piece.Length > 0)
                {
                    await onText(piece, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // As in AskAsync: a client that stops quietly when cancelled has not given a whole answer.
        cancellationToken.ThrowIfCancellationRequested();
        return (updates.ToChatResponse(), decoder.Text);
    }

    private async Task<bool> NextAsync(string operation, IAsyncEnumerator<ChatResponseUpdate> stream, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.MoveNextAsync().ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            Log.CallFailed(_logger, operation, ex.StatusCode, ex.IsTransient, ex);
            throw;
        }
        catch (Exception ex) when (ClientErrors.IsCallFailure(ex, cancellationToken))
        {
            throw Failed(operation, ex);
        }
    }

    private static ChatMessage[] Messages(string system, string user) => [new(ChatRole.System, system), new(ChatRole.User, user)];

    private ChatOptions Options(ChatResponseFormat format) => new()
    {
        ModelId = _modelId,
        MaxOutputTokens = _maxOutputTokens,
        ResponseFormat = format,
        // Microsoft.Extensions.AI.OpenAI sends the schema with strict=true; other clients ignore the key.
        AdditionalProperties = new AdditionalPropertiesDictionary { ["strict"] = true },
    };

    private ProviderException Failed(string operation, Exception exception)
    {
        var mapped = ClientErrors.Map(exception, operation, _modelName);
        Log.CallFailed(_logger, operation, mapped.StatusCode, mapped.IsTransient, mapped);
        return mapped;
    }

    private ChapterSummary ChapterSummaryOf(BookContext book, ChapterHeading chapter, ChatResponse response, string? streamed)
    {
        var summary = SummaryOf(SummaryOperation, response, streamed);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var words = CountWords(summary.Text);
            Log.SummaryReceived(_logger, chapter.Number, book.Title, words, summary.Usage.InputTokens, summary.Usage.OutputTokens);
        }

        return summary;
    }

    private ChapterSummary TextSummaryOf(BookContext book, TextSummaryRequest request, ChatResponse response, string? streamed)
    {
        var summary = SummaryOf(TextSummaryOperation, response, streamed);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var words = CountWords(summary.Text);
            Log.TextSummaryReceived(_logger, request.Scope, request.Chapter.Number, book.Title, words, summary.Usage.InputTokens, summary.Usage.OutputTokens);
        }

        return summary;
    }

    /// <summary>Checks a summary answer and reads it.</summary>
    /// <param name="operation">The call, named in messages.</param>
    /// <param name="response">The whole response.</param>
    /// <param name="streamed">The text given while streaming, or <see langword="null"/> when the call did not stream.</param>
    private ChapterSummary SummaryOf(string operation, ChatResponse response, string? streamed)
    {
        var usage = UsageOf(response);
        var raw = Parse(operation, ReadText(operation, response), root => Required(root, "summary", JsonValueKind.String).GetString()!);

        // The decoder gives the first summary string; JSON naming the key twice (a strict schema does not stop a
        // server that ignores it) would return another summary than the text given, which the caller must not keep.
        if (streamed is not null && !string.Equals(streamed, raw, StringComparison.Ordinal))
        {
            throw Unusable(operation, "the text streamed is not the answer's summary (the JSON names it twice, for one)", isTransient: true);
        }

        var text = NormalizeParagraphs(raw);
        if (text.Length == 0)
        {
            throw Unusable(operation, "the summary is empty", isTransient: true);
        }

        return new ChapterSummary(text, usage);
    }

    private string ReadText(string operation, ChatResponse response)
    {
        var refusal = response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>().FirstOrDefault();
        if (refusal is not null)
        {
            throw Unusable(operation, $"the model refused: {refusal.Message}", isTransient: false);
        }

        if (response.FinishReason == ChatFinishReason.Length)
        {
            throw Unusable(operation, "the answer was cut off at the output token limit (finish_reason=length)", isTransient: true);
        }

        if (response.FinishReason == ChatFinishReason.ContentFilter)
        {
            throw Unusable(operation, "the answer was withheld by the content filter or refused (finish_reason=content_filter)", isTransient: false);
        }

        var text = response.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Unusable(operation, "the answer has no text content", isTransient: true);
        }

        return text;
    }

    private T Parse<T>(string operation, string text, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(StripCodeFence(text));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw SchemaViolation($"the answer is a JSON {document.RootElement.ValueKind}, not an object");
            }

            return read(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw Unusable(operation, "the answer is not valid JSON: " + ex.Message, isTransient: true, ex);
        }
        catch (SchemaViolationException ex)
        {
            throw Unusable(operation, "the answer breaks the JSON schema: " + ex.Message, isTransient: true);
        }
    }

    private ProviderResponseException Unusable(string operation, string reason, bool isTransient, Exception? inner = null)
    {
        Log.UnusableAnswer(_logger, operation, reason);
        return new ProviderResponseException(string.Concat(operation, " with model '", _modelName, "': ", reason, "."), isTransient, inner);
    }

    private sealed class SchemaViolationException(string message) : Exception(message);
}
