using System.Runtime.CompilerServices;
using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Processing.Steps;
using Microsoft.Extensions.Logging;

namespace BookBytes.Pipeline.Processing;

/// <summary>
/// Runs audiobook generation and refresh jobs (<see cref="AudioBookRun"/>) and owns their outcome: a book with
/// failed chapters was recorded by the run and is retried while attempts remain; a job-wide failure that will
/// not be retried is recorded on the audiobook here, on the row as it is then (an attempt may have got as far as
/// promoting its version before it failed).
/// </summary>
internal sealed partial class AudioBookJobHandler : IJobHandler, IRequiresServices
{
    private readonly PipelineServices _services;
    private readonly AudioBookProviders _providers;
    private readonly AudioBookRun _run;
    private readonly AudioBookOutcome _outcome;
    private readonly JobWakeUp _wakeUp;

    /// <summary>Initializes the handler and its steps.</summary>
    /// <param name="services">The pipeline's services.</param>
    /// <param name="providers">The adapters.</param>
    /// <param name="wakeUp">Wakes this node's runner for the packaging job a finished book enqueues.</param>
    public AudioBookJobHandler(PipelineServices services, AudioBookProviders providers, JobWakeUp wakeUp)
    {
        _services = services;
        _providers = providers;
        _wakeUp = wakeUp;
        var options = services.Options;
        var retry = new AnswerRetry(options.Llm.MaxAnswerTries, options.Jobs.StepRetryDelay, services.Time, services.Logger);
        // Unusable summaries and outlines are re-asked by AnswerRetry (their own budget); speech has no other check.
        var llmCalls = new CallRetry(options.Llm.CallRetries, retryUnusableAnswers: false, options.Jobs.StepRetryDelay, services.Time, services.Logger);
        var ttsCalls = new CallRetry(options.Tts.CallRetries, retryUnusableAnswers: true, options.Jobs.StepRetryDelay, services.Time, services.Logger);
        _outcome = new AudioBookOutcome(services);
        _run = new AudioBookRun(
            services,
            providers,
            new VoiceCheck(services, ttsCalls),
            new ChapterSource(services, retry, llmCalls),
            new ChapterFlow(
                services,
                new ChapterTextStep(services, retry, llmCalls),
                new GroundedSummaryStep(services, retry, llmCalls),
                new SpeechStep(services, ttsCalls, new SpeechCheck(options.Tts.MinCharactersPerSecond, options.Tts.MaxCharactersPerSecond)),
                new PublishStep(services)),
            _outcome);
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.AudiobookGeneration, JobKind.AudiobookRefresh];

    /// <inheritdoc/>
    public IReadOnlyList<string> MissingServices => _providers.MissingForJobs;

    /// <inheritdoc/>
    public async Task<JobResult> HandleAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        AudioBookJobPayload payload;
        try
        {
            payload = AudioBookJobPayload.Parse(execution.Job.Payload);
        }
        catch (BookBytesException ex)
        {
            return JobResult.Failed(new JobError(ex.ErrorCode, ex.Message));
        }

        using var scope = _services.Logger.BeginScope(new Dictionary<string, object> { ["AudioBookId"] = payload.AudioBookId });
        if (execution.Abandoned is { } abandoned)
        {
            await RecordFailureAsync(execution, payload, abandoned).ConfigureAwait(false);
            return JobResult.Failed(abandoned);
        }

        try
        {
            var chaptersFailed = await _run.ExecuteAsync(execution, payload, cancellationToken).ConfigureAwait(false);
            if (chaptersFailed is null || !execution.HasAttemptsLeft)
            {
                // The book is as finished as it will get: package what it has.
                await EnqueuePackagingAsync(execution, payload.AudioBookId, cancellationToken).ConfigureAwait(false);
            }

            return chaptersFailed is null ? JobResult.Completed : JobResult.Retry(chaptersFailed);
        }
        catch (Exception ex) when (!IsStop(ex, execution, cancellationToken))
        {
            var error = ex is BookBytesException known ? new JobError(known.ErrorCode, known.Message) : new JobError(ErrorCodes.Internal, ex.Message);
            if (ex is not BookBytesException { IsTransient: false } && execution.HasAttemptsLeft)
            {
                // The next attempt marks the audiobook Processing again.
                return JobResult.Retry(error);
            }

            await RecordFailureAsync(execution, payload, error).ConfigureAwait(false);
            return JobResult.Failed(error);
        }
    }

    /// <summary>
    /// Enqueues the audiobook's packaging to follow this job after <see cref="JobsOptions.PackagingDelay"/>, when a packager is
    /// registered and a chapter is stored; a job asked for the audiobook before it starts supersedes it. Losing it (a store failure
    /// here) loses only the automatic package: it can be asked for, and the book's state is already recorded.
    /// </summary>
    private async Task EnqueuePackagingAsync(JobExecution execution, Guid audioBookId, CancellationToken cancellationToken)
    {
        if (!_services.Options.Jobs.PackageWhenDone || _providers.PackagerIfAny is null)
        {
            return;
        }

        try
        {
            var book = await _services.Books.GetAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false);
            if (book is null || (await _services.Books.GetChaptersAsync(audioBookId, book.Version, cancellationToken).ConfigureAwait(false)).All(c => c.Status != ChapterStatus.Completed))
            {
                return;
            }

            var job = await _services.Books.EnqueueFollowUpJobAsync(
                audioBookId,
                new NewJob(
                    JobKind.AudiobookPackaging,
                    new Packaging.PackagingJobPayload(audioBookId).ToJson(),
                    _services.Options.Jobs.MaxAttempts,
                    _services.Time.GetUtcNow() + _services.Options.Jobs.PackagingDelay),
                execution.Job.Id,
                cancellationToken).ConfigureAwait(false);
            _wakeUp.Signal(job.Id);
            LogPackagingEnqueued(_services.Logger, job.Id);
        }
        catch (Exception ex) when (ex is BookBytesException and not LeaseLostException)
        {
            LogPackagingNotEnqueued(_services.Logger, ex, execution.Job.Id);
        }
    }

    /// <summary>Shutdown, a lost lease and cancellation are the runner's to handle: nothing is recorded for them.</summary>
    private static bool IsStop(Exception ex, JobExecution execution, CancellationToken cancellationToken) => ex switch
    {
        LeaseLostException => true,
        OperationCanceledException => cancellationToken.IsCancellationRequested || execution.Stopping.IsCancellationRequested,
        _ => false,
    };

    private async Task RecordFailureAsync(JobExecution execution, AudioBookJobPayload payload, JobError error)
    {
        try
        {
            // Not cancelled by shutdown: the failure is decided, and its record is part of it.
            await _outcome.RecordFailureAsync(payload.AudioBookId, payload.TargetVersion, error, execution.Lease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not LeaseLostException)
        {
            LogRecordFailed(_services.Logger, ex, execution.Job.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Packaging job {JobId} enqueued to follow")]
    private static partial void LogPackagingEnqueued(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the audiobook's packaging could not be enqueued; it can be asked for")]
    private static partial void LogPackagingNotEnqueued(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the audiobook's failure could not be recorded")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, Guid jobId);
}
