using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BookBytes.Llm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI.Chat;

namespace BookBytes.Providers.OpenAI.Chat;

/// <summary>
/// An <see cref="ILlmProvider"/> on the Chat Completions API of OpenAI or any OpenAI-compatible
/// server. Both calls use structured output with a strict JSON schema.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="OutlineAsync"/> returns <see cref="BookOutline.Known"/> = <see langword="false"/> (with
/// no chapters) when the model says it does not know the book; it does not throw
/// <see cref="Books.BookNotKnownException"/> itself — the pipeline and
/// <see cref="LlmProviderExtensions.ExtractChaptersAsync"/> turn that answer into one.
/// </para>
/// <para>
/// Unusable answers throw <see cref="ProviderResponseException"/>: a refusal or a content-filter stop
/// (not transient), an answer cut off at the token limit (<c>finish_reason=length</c>), malformed JSON
/// or JSON that breaks the schema (transient: asking again may give a usable answer).
/// HTTP failures throw <see cref="ProviderException"/> as described in the package README.
/// </para>
/// <para>Thread-safe: one instance serves concurrent calls.</para>
/// </remarks>
internal sealed partial class OpenAiLlmProvider : ILlmProvider
{
    private const string ModelKey = OpenAiOptions.SectionName + ":ChatModel";

    private readonly ChatClient _client;
    private readonly string _model;
    private readonly Uri _endpoint;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance; <see cref="BookBytesBuilderOpenAiExtensions.AddOpenAI"/> creates it.</summary>
    /// <param name="client">A chat client whose HTTP goes through the resilience handler and whose SDK retries are off.</param>
    /// <param name="model">The model <paramref name="client"/> was created for.</param>
    /// <param name="endpoint">The endpoint <paramref name="client"/> calls, named in error messages.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    internal OpenAiLlmProvider(ChatClient client, string model, Uri endpoint, ILogger<OpenAiLlmProvider>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(endpoint);
        _client = client;
        _model = model;
        _endpoint = endpoint;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="book"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The book has no title.</exception>
    public async Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentException.ThrowIfNullOrWhiteSpace(book.Title, nameof(book));
        Log.OutlineRequested(_logger, _model, book.Title);

        const string operation = "Chat completion (outline)";
        var completion = await CompleteAsync(
            operation,
            ChatPrompts.OutlineSystem,
            ChatPrompts.Outline(book),
            ChatResponseFormat.CreateJsonSchemaFormat(
                ChatSchemas.OutlineName, ChatSchemas.Outline, "The book's real chapters, or known=false.", jsonSchemaIsStrict: true),
            cancellationToken).ConfigureAwait(false);

        var usage = UsageOf(completion);
        var outline = Parse(operation, ReadText(operation, completion), root =>
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
        Log.SummaryRequested(_logger, _model, chapter.Number, book.Title);

        const string operation = "Chat completion (chapter summary)";
        var completion = await CompleteAsync(
            operation,
            ChatPrompts.SummarySystem,
            ChatPrompts.Summary(book, chapter),
            ChatResponseFormat.CreateJsonSchemaFormat(
                ChatSchemas.SummaryName, ChatSchemas.Summary, "A spoken-style chapter summary.", jsonSchemaIsStrict: true),
            cancellationToken).ConfigureAwait(false);

        var usage = UsageOf(completion);
        var text = Parse(operation, ReadText(operation, completion), root =>
            NormalizeParagraphs(Required(root, "summary", JsonValueKind.String).GetString()!));
        if (text.Length == 0)
        {
            throw Unusable(operation, "the summary is empty", isTransient: true);
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var words = CountWords(text);
            Log.SummaryReceived(_logger, chapter.Number, book.Title, words, usage.InputTokens, usage.OutputTokens);
        }

        return new ChapterSummary(text, usage);
    }

    internal static string NormalizeParagraphs(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        return ExtraBlankLines().Replace(text, "\n\n");
    }

    private static int CountWords(string text)
        => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static LlmUsage UsageOf(ChatCompletion completion)
        => completion.Usage is { } usage ? new LlmUsage(usage.InputTokenCount, usage.OutputTokenCount) : LlmUsage.Zero;

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
        // Some OpenAI-compatible servers ignore strict schemas and wrap the JSON in a markdown fence.
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

    private async Task<ChatCompletion> CompleteAsync(
        string operation, string system, string user, ChatResponseFormat format, CancellationToken cancellationToken)
    {
        ChatMessage[] messages = [new SystemChatMessage(system), new UserChatMessage(user)];
        var options = new ChatCompletionOptions { ResponseFormat = format };
        try
        {
            var result = await _client.CompleteChatAsync(messages, options, cancellationToken).ConfigureAwait(false);
            return result.Value;
        }
        catch (Exception ex) when (OpenAiErrors.IsCallFailure(ex, cancellationToken))
        {
            var mapped = OpenAiErrors.Map(ex, operation, _endpoint, ModelKey, _timeProvider);
            Log.CallFailed(_logger, operation, mapped.StatusCode, mapped.IsTransient, mapped);
            throw mapped;
        }
        catch (JsonException ex)
        {
            throw Unusable(operation, "the response body is not a chat completion: " + ex.Message, isTransient: true, ex);
        }
    }

    private string ReadText(string operation, ChatCompletion completion)
    {
        var refusal = completion.Refusal
            ?? completion.Content.FirstOrDefault(part => part.Kind == ChatMessageContentPartKind.Refusal)?.Refusal;
        if (!string.IsNullOrWhiteSpace(refusal))
        {
            throw Unusable(operation, $"the model refused: {refusal}", isTransient: false);
        }

        if (completion.FinishReason == ChatFinishReason.Length)
        {
            throw Unusable(operation, "the answer was cut off at the output token limit (finish_reason=length)", isTransient: true);
        }

        if (completion.FinishReason == ChatFinishReason.ContentFilter)
        {
            throw Unusable(operation, "the answer was withheld by the content filter (finish_reason=content_filter)", isTransient: false);
        }

        var text = new StringBuilder();
        foreach (var part in completion.Content)
        {
            if (part.Kind == ChatMessageContentPartKind.Text)
            {
                text.Append(part.Text);
            }
        }

        if (text.Length == 0)
        {
            throw Unusable(operation, "the answer has no text content", isTransient: true);
        }

        return text.ToString();
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
        return new ProviderResponseException($"{operation} with model '{_model}': {reason}.", isTransient, inner);
    }

    private sealed class SchemaViolationException(string message) : Exception(message);
}
