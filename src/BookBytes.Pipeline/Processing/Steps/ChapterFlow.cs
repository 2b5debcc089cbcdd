using System.Diagnostics;
using System.Runtime.ExceptionServices;
using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Internal.Text;
using BookBytes.Pipeline.Text;
using Microsoft.Extensions.Logging;
using static BookBytes.Pipeline.Processing.Steps.ProgressReporter;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Takes one chapter along its path on its own — text (a summary from the model's memory, a summary of the chapter's
/// text, or the text itself to narrate), speech, publish — and records it Failed with its
/// error when a step gives up, so the book's other chapters go on. Job-wide failures (a lost lease, a
/// configuration error, cancellation) pass through.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="text">The summary from the model's memory (catalog editions).</param>
/// <param name="grounded">The summary of the chapter's text (document editions).</param>
/// <param name="speech">The speech step.</param>
/// <param name="publish">The publish step.</param>
internal sealed partial class ChapterFlow(PipelineServices services, ChapterTextStep text, GroundedSummaryStep grounded, SpeechStep speech, PublishStep publish)
{
    /// <summary>Runs the chapter to Completed or Failed; a completed chapter is returned as it is.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="chapter">The chapter.</param>
    /// <param name="cancellationToken">A token that cancels the chapter (the job's, or a job-wide failure's).</param>
    /// <returns>The chapter as recorded.</returns>
    public async Task<Chapter> RunAsync(BookRunContext run, Chapter chapter, CancellationToken cancellationToken)
    {
        if (chapter.Status == ChapterStatus.Completed)
        {
            return chapter;
        }

        var started = services.Time.GetTimestamp();
        using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("chapter");
        activity?.SetTag("bookbytes.chapter.number", chapter.Number);
        var spend = new ChapterSpend();
        try
        {
            var voice = speech.Begin(run, chapter.Number, spend, cancellationToken);
            await using (voice.ConfigureAwait(false))
            {
                string spoken;
                if (run.Mode == AudioBookMode.Narration)
                {
                    // The text is the document's: nothing to ask for or store but its length.
                    spoken = await NarratedTextAsync(run, chapter, cancellationToken).ConfigureAwait(false);
                    chapter = chapter with { WordCount = WordCounter.Count(spoken) };
                    await run.Progress.AdvanceAsync(Invariant($"Chapter {chapter.Number} of {run.Progress.Chapters} read"), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // The summary streams into the speech while it is written (Llm:StreamSummaries).
                    try
                    {
                        chapter = run.Texts is null
                            ? await text.WriteAsync(run, chapter, spend, voice, cancellationToken).ConfigureAwait(false)
                            : await grounded.WriteAsync(run, chapter, spend, voice, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ChapterSpeech.SpeechFailedException ex)
                    {
                        // The speech failed while the summary was written: that, not the summary, fails the chapter.
                        ExceptionDispatchInfo.Throw(ex.InnerException!);
                        throw;
                    }

                    spoken = chapter.Summary!;
                }

                run.Stopping.ThrowIfCancellationRequested();
                if (voice.Streamed)
                {
                    chapter = await publish.PublishAsync(run, chapter, await voice.FinishAsync(spoken).ConfigureAwait(false), spend.Characters, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    chapter = await publish.FindStoredAsync(run, chapter, cancellationToken).ConfigureAwait(false)
                        ?? await publish.PublishAsync(run, chapter, await voice.SpeakAsync(spoken).ConfigureAwait(false), spend.Characters, cancellationToken).ConfigureAwait(false);
                }
            }

            services.Metrics.ChapterFinished(services.Time.GetElapsedTime(started), succeeded: true);
            LogChapterStored(services.Logger, chapter.Number, chapter.AudioSizeBytes ?? 0, chapter.DurationSeconds);
            await run.Progress.AdvanceAsync(Invariant($"Chapter {chapter.Number} of {run.Progress.Chapters} stored"), cancellationToken).ConfigureAwait(false);
            return chapter;
        }
        catch (Exception ex) when (IsChapterFailure(ex, cancellationToken, run.Stopping))
        {
            LogChapterFailed(services.Logger, ex, chapter.Number);
            services.Metrics.ChapterFinished(services.Time.GetElapsedTime(started), succeeded: false);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var failed = chapter with
            {
                Status = ChapterStatus.Failed,
                ErrorMessage = ex.Message,
                Usage = chapter.Usage + spend.Unsaved,
                UpdatedAt = services.Time.GetUtcNow(),
            };
            await services.Books.SaveChaptersAsync([failed], run.Lease, cancellationToken).ConfigureAwait(false);
            return failed;
        }
    }

    private static async Task<string> NarratedTextAsync(BookRunContext run, Chapter chapter, CancellationToken cancellationToken)
    {
        var source = await run.TextOfAsync(chapter.Number, cancellationToken).ConfigureAwait(false)
            ?? throw new BookBytesException(Invariant($"Chapter {chapter.Number} is not in the document; it cannot be narrated."), ErrorCodes.TextRequired);
        return EditionText.Narrated(source);
    }

    private static bool IsChapterFailure(Exception ex, CancellationToken cancellationToken, CancellationToken stopping) => ex switch
    {
        // A time-out inside a call (a cancellation nobody here asked for) is this chapter's failure, not the job's.
        OperationCanceledException => !cancellationToken.IsCancellationRequested && !stopping.IsCancellationRequested,
        LeaseLostException or ProviderConfigurationException or ProviderNotConfiguredException => false,
        _ => !cancellationToken.IsCancellationRequested,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Chapter {ChapterNumber} stored: {Bytes} bytes, {DurationSeconds:F1} s of audio")]
    private static partial void LogChapterStored(ILogger logger, int chapterNumber, long bytes, double? durationSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chapter {ChapterNumber} failed after its retries")]
    private static partial void LogChapterFailed(ILogger logger, Exception exception, int chapterNumber);
}
