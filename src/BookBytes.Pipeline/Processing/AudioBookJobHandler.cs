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

    /// <summary>Initializes the handler and its steps.</summary>
    /// <param name="services">The pipeline's services.</param>
    /// <param name="providers">The adapters.</param>
    public AudioBookJobHandler(PipelineServices services, AudioBookProviders providers)
    {
        _services = services;
        _providers = providers;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the audiobook's failure could not be recorded")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, Guid jobId);
}
