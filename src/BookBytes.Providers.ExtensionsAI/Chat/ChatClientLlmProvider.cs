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
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(chapter);
        ArgumentException.ThrowIfNullOrWhiteSpace(book.Title, nameof(book));
        ArgumentException.ThrowIfNullOrWhiteSpace(chapter.Title, nameof(chapter));
        ArgumentOutOfRangeException.ThrowIfLessThan(book.SummaryWords, 1, nameof(book));
        Log.SummaryRequested(_logger, _modelName, chapter.Number, book.Title);

        var response = await AskAsync(
            SummaryOperation,
            ChatPrompts.SummarySystem,
            ChatPrompts.Summary(book, chapter),
            ChatResponseFormat.ForJsonSchema(ChatSchemas.Summary, ChatSchemas.SummaryName, "A spoken-style chapter summary."),
            cancellationToken).ConfigureAwait(false);

        var usage = UsageOf(response);
        var text = Parse(SummaryOperation, ReadText(SummaryOperation, response), root =>
            NormalizeParagraphs(Required(root, "summary", JsonValueKind.String).GetString()!));
        if (text.Length == 0)
        {
            throw Unusable(SummaryOperation, "the summary is empty", isTransient: true);
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var words = CountWords(text);
            Log.SummaryReceived(_logger, chapter.Number, book.Title, words, usage.InputTokens, usage.OutputTokens);
        }

        return new ChapterSummary(text, usage);
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
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(book.Title, nameof(book));
        Validate(request);
        Log.TextSummaryRequested(_logger, _modelName, request.Scope, request.Chapter.Number, book.Title, request.Part, request.Parts, request.Text.Length);

        var response = await AskAsync(
            TextSummaryOperation,
            ChatPrompts.TextSummarySystem,
            ChatPrompts.TextSummary(book, request),
            ChatResponseFormat.ForJsonSchema(ChatSchemas.Summary, ChatSchemas.TextSummaryName, "A spoken-style summary of the given text only."),
            cancellationToken).ConfigureAwait(false);

        var usage = UsageOf(response);
        var text = Parse(TextSummaryOperation, ReadText(TextSummaryOperation, response), root =>
            NormalizeParagraphs(Required(root, "summary", JsonValueKind.String).GetString()!));
        if (text.Length == 0)
        {
            throw Unusable(TextSummaryOperation, "the summary is empty", isTransient: true);
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var words = CountWords(text);
            Log.TextSummaryReceived(_logger, request.Scope, request.Chapter.Number, book.Title, words, usage.InputTokens, usage.OutputTokens);
        }

        return new ChapterSummary(text, usage);
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
        ChatMessage[] messages = [new(ChatRole.System, system), new(ChatRole.User, user)];
        var options = new ChatOptions
        {
            ModelId = _modelId,
            MaxOutputTokens = _maxOutputTokens,
            ResponseFormat = format,
            // Microsoft.Extensions.AI.OpenAI sends the schema with strict=true; other clients ignore the key.
            AdditionalProperties = new AdditionalPropertiesDictionary { ["strict"] = true },
        };
        ChatResponse response;
        try
        {
            response = await _client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            Log.CallFailed(_logger, operation, ex.StatusCode, ex.IsTransient, ex);
            throw;
        }
        catch (Exception ex) when (ClientErrors.IsCallFailure(ex, cancellationToken))
        {
            var mapped = ClientErrors.Map(ex, operation, _modelName);
            Log.CallFailed(_logger, operation, mapped.StatusCode, mapped.IsTransient, mapped);
            throw mapped;
        }

        // Some clients (OllamaSharp's) stop quietly when the token is cancelled and return an empty answer:
        // that is the caller's cancellation, not an unusable answer.
        cancellationToken.ThrowIfCancellationRequested();
        return response;
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
