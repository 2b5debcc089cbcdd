using BookBytes.Llm;
using Microsoft.Extensions.Logging;

namespace BookBytes.Providers.ExtensionsAI;

/// <summary>Source-generated log messages. Prompts, answers and keys are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Asking {Model} for the outline of '{Title}'")]
    public static partial void OutlineRequested(ILogger logger, string model, string title);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Outline of '{Title}': known {Known}, {ChapterCount} chapters, {InputTokens} input and {OutputTokens} output tokens")]
    public static partial void OutlineReceived(ILogger logger, string title, bool known, int chapterCount, long inputTokens, long outputTokens);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Asking {Model} to summarise chapter {ChapterNumber} of '{Title}'")]
    public static partial void SummaryRequested(ILogger logger, string model, int chapterNumber, string title);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Summary of chapter {ChapterNumber} of '{Title}': {WordCount} words, {InputTokens} input and {OutputTokens} output tokens")]
    public static partial void SummaryReceived(ILogger logger, int chapterNumber, string title, int wordCount, long inputTokens, long outputTokens);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "{Operation} failed (HTTP {StatusCode}, transient {IsTransient}): {CauseType}: {Reason}")]
    private static partial void CallFailed(ILogger logger, string operation, int? statusCode, bool isTransient, string causeType, string reason);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug, Message = "{Operation} failed with this exception")]
    private static partial void CallFailedDetail(ILogger logger, string operation, Exception exception);

    /// <summary>
    /// One Warning with the cause (the type of the innermost exception, and the provider's message), and the
    /// exception with its stack trace at Debug: a provider that is down or refuses a key is expected, not a bug to trace.
    /// </summary>
    public static void CallFailed(ILogger logger, string operation, int? statusCode, bool isTransient, Exception exception)
    {
        CallFailed(logger, operation, statusCode, isTransient, exception.GetBaseException().GetType().Name, exception.Message);
        CallFailedDetail(logger, operation, exception);
    }

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "{Operation} returned an unusable answer: {Reason}")]
    public static partial void UnusableAnswer(ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Synthesizing {Characters} characters with {Model}, voice {Voice}, format {Format}")]
    public static partial void SpeechRequested(ILogger logger, int characters, string model, string voice, string format);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Synthesized {Characters} characters into {Bytes} bytes")]
    public static partial void SpeechReceived(ILogger logger, int characters, long bytes);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Debug, Message = "Asking {Model} to summarise {Scope} text of chapter {ChapterNumber} of '{Title}' (part {Part} of {Parts}, {Characters} characters)")]
    public static partial void TextSummaryRequested(ILogger logger, string model, SummaryScope scope, int chapterNumber, string title, int part, int parts, int characters);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Summary of the {Scope} text of chapter {ChapterNumber} of '{Title}': {WordCount} words, {InputTokens} input and {OutputTokens} output tokens")]
    public static partial void TextSummaryReceived(ILogger logger, SummaryScope scope, int chapterNumber, string title, int wordCount, long inputTokens, long outputTokens);
}
