using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Throttling;
using BookBytes.Storage;
using BookBytes.Tts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BookBytes.Pipeline.Processing;

/// <summary>
/// Runs audiobook generation and refresh jobs: chapters from the catalog's table of contents or one
/// outline call, then every chapter on its own — summary, chunks, speech, joined audio, storage.
/// </summary>
internal sealed partial class AudioBookJobProcessor : IJobProcessor
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    public AudioBookJobProcessor(
        IServiceProvider services,
        IAudioBookStore books,
        IJobStore jobs,
        ProviderThrottles throttles,
        BookBytesMetrics metrics,
        TimeProvider timeProvider,
        IOptions<BookBytesOptions> options,
        ILoggerFactory? loggerFactory = null)
    {
        _services = services;
        Books = books;
        Jobs = jobs;
        Throttles = throttles;
        Metrics = metrics;
        Time = timeProvider;
        Options = options.Value;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AudioBookJobProcessor>();
    }

    internal IAudioBookStore Books { get; }

    internal IJobStore Jobs { get; }

    internal ProviderThrottles Throttles { get; }

    internal BookBytesMetrics Metrics { get; }

    internal TimeProvider Time { get; }

    internal BookBytesOptions Options { get; }

    internal ILogger Logger => _logger;

    public async Task ProcessAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var payload = AudioBookJobPayload.Parse(execution.Job.Payload);
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["AudioBookId"] = payload.AudioBookId });

        var llm = _services.GetService<ILlmProvider>()
            ?? throw new ProviderNotConfiguredException("No language-model provider is registered (ILlmProvider); configure one, for example BookBytes:OpenAI:ApiKey or BookBytes:OpenAI:Endpoint.");
        var tts = _services.GetService<ITtsProvider>()
            ?? throw new ProviderNotConfiguredException("No text-to-speech provider is registered (ITtsProvider); configure one, for example BookBytes:OpenAI:ApiKey or BookBytes:OpenAI:Endpoint.");
        var storage = _services.GetService<IStorageBackend>()
            ?? throw new ProviderNotConfiguredException("No storage backend is registered (IStorageBackend); add one, for example AddLocalStorage().");

        using var run = new BookRun(this, execution, payload, llm, tts, storage);
        await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task OnFailedAsync(JobExecution execution, JobError failure, bool willRetry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(failure);
        if (willRetry || failure.Code == ErrorCodes.ChaptersFailed)
        {
            // Partial failure already marked the audiobook; a retry will mark it processing again.
            return;
        }

        AudioBookJobPayload payload;
        try
        {
            payload = AudioBookJobPayload.Parse(execution.Job.Payload);
        }
        catch (BookBytesException)
        {
            return;
        }

        var book = await Books.GetAudioBookAsync(payload.AudioBookId, cancellationToken).ConfigureAwait(false);
        if (book is null)
        {
            return;
        }

        // The served version's chapters decide the status: a failed build of a new version leaves the served
        // version as it was, and a failed first build is Failed only when no chapter of it was stored. The
        // payload tells a forced build even when the job failed before recording its pending version.
        var building = payload.TargetVersion is not null || book.PendingVersion is not null;
        var status = await ServedStatusAsync(book, cancellationToken).ConfigureAwait(false);
        var message = building ? "The new version could not be built: " + failure.Message : failure.Message;
        await Books.UpdateAudioBookAsync(
            book with { Status = status, ErrorMessage = message, UpdatedAt = Time.GetUtcNow() },
            execution.Lease,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status of the version an audiobook serves, from that version's chapters.</summary>
    internal async Task<AudioBookStatus> ServedStatusAsync(AudioBook book, CancellationToken cancellationToken)
        => StatusOf(await Books.GetChaptersAsync(book.Id, book.Version, cancellationToken).ConfigureAwait(false));

    /// <summary>Completed when every chapter is stored, Failed when none is, else PartiallyCompleted.</summary>
    internal static AudioBookStatus StatusOf(IReadOnlyCollection<Chapter> chapters)
    {
        var completed = chapters.Count(c => c.Status == ChapterStatus.Completed);
        return completed == 0 ? AudioBookStatus.Failed
            : completed == chapters.Count ? AudioBookStatus.Completed
            : AudioBookStatus.PartiallyCompleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chapter {ChapterNumber} stored: {Bytes} bytes, {DurationSeconds:F1} s of audio")]
    internal static partial void LogChapterStored(ILogger logger, int chapterNumber, long bytes, double? durationSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chapter {ChapterNumber} failed after its retries")]
    internal static partial void LogChapterFailed(ILogger logger, Exception exception, int chapterNumber);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chapter {ChapterNumber}: audio already stored by an earlier attempt; not synthesized again")]
    internal static partial void LogChapterAudioFound(ILogger logger, int chapterNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Step} failed (try {Try} of {Tries}); trying again in {Delay}")]
    internal static partial void LogStepRetry(ILogger logger, Exception exception, string step, int @try, int tries, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} chapters known from {Source}")]
    internal static partial void LogChaptersKnown(ILogger logger, int count, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check whether {Key} is stored; synthesizing it")]
    internal static partial void LogExistsCheckFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Key} of a replaced version")]
    internal static partial void LogDeleteFailed(ILogger logger, Exception exception, string key);
}
