using System.Runtime.ExceptionServices;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline.Jobs;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// One attempt of one audiobook job: marks the audiobook Processing, proves an unlisted voice, gets its chapters from the
/// <see cref="ChapterSource"/>, lets every chapter flow on its own through <see cref="ChapterFlow"/>, and
/// hands the result to <see cref="AudioBookOutcome"/>. A job-wide failure of one chapter stops the others.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="providers">The adapters.</param>
/// <param name="voice">Proves a voice the provider does not list, before any summary is bought.</param>
/// <param name="source">Finds the chapters.</param>
/// <param name="chapters">Runs one chapter.</param>
/// <param name="outcome">Records the outcome.</param>
internal sealed class AudioBookRun(
    PipelineServices services,
    AudioBookProviders providers,
    VoiceCheck voice,
    ChapterSource source,
    ChapterFlow chapters,
    AudioBookOutcome outcome)
{
    /// <summary>Runs the attempt.</summary>
    /// <param name="execution">The job.</param>
    /// <param name="payload">The job's payload.</param>
    /// <param name="cancellationToken">A token that cancels the attempt.</param>
    /// <returns><see langword="null"/> when the book is complete; else the error naming its failed chapters (the audiobook's status is recorded).</returns>
    public async Task<JobError?> ExecuteAsync(JobExecution execution, AudioBookJobPayload payload, CancellationToken cancellationToken)
    {
        var books = services.Books;
        var book = await books.GetAudioBookAsync(payload.AudioBookId, cancellationToken).ConfigureAwait(false) ?? throw new AudioBookNotFoundException(payload.AudioBookId);
        var edition = await books.GetEditionAsync(book.EditionId, cancellationToken).ConfigureAwait(false) ?? throw new EditionNotFoundException(book.EditionId);
        using var progress = new ProgressReporter(services.Jobs, services.Metrics, execution.Job, execution.Lease, services.Logger);

        if (payload.TargetVersion is int target)
        {
            if (book.Version >= target)
            {
                // An earlier attempt already promoted the new version; only its clean-up may be left.
                await outcome.DeleteVersionAsync(book.Id, target - 1, providers.Storage, execution.Lease, cancellationToken).ConfigureAwait(false);
                await progress.ReportAsync(100, "Completed", cancellationToken).ConfigureAwait(false);
                return null;
            }

            book = book with { PendingVersion = target };
        }

        book = book with { Status = AudioBookStatus.Processing, ErrorMessage = null, UpdatedAt = services.Time.GetUtcNow() };
        await books.UpdateAudioBookAsync(book, execution.Lease, cancellationToken).ConfigureAwait(false);
        await progress.ReportAsync(ProgressReporter.Claimed, "Claimed", cancellationToken).ConfigureAwait(false);

        var tts = providers.Tts;
        var tableOfContents = ChapterSource.TableOfContents(edition);
        // Grounded in the text only when the audiobook was made so: one of a document edition made from the model's memory
        // (before summaries were grounded) goes on as it began.
        var texts = book.Grounding == AudioBookGrounding.Text && edition.Source == EditionSource.Document ? new ChapterTexts(providers.Storage, edition) : null;
        var run = new BookRunContext(
            execution,
            book.Id,
            book.WorkingVersion,
            book.Voice,
            tts.Capabilities.DefaultFormat,
            new BookContext(
                edition.Title,
                edition.Authors,
                edition.Language,
                edition.Description,
                tableOfContents.Count > 0 ? tableOfContents : null,
                book.SummaryWords ?? services.Options.Summary.Words),
            providers.Llm,
            tts,
            providers.Storage,
            progress,
            book.Mode,
            texts)
        {
            Admission = new ChapterAdmission(2 * services.Options.Llm.MaxConcurrency, 2 * services.Options.Tts.MaxConcurrency),
        };

        await voice.EnsureAsync(run, cancellationToken).ConfigureAwait(false);
        var known = await source.GetChaptersAsync(run, edition, payload.Chapters, cancellationToken).ConfigureAwait(false);
        progress.SetWork(known.Count, known.Sum(c => c.Status == ChapterStatus.Completed ? 2 : c.Summary is null ? 0 : 1));
        await progress.ReportAsync(null, ProgressReporter.Invariant($"{known.Count} chapters known"), cancellationToken).ConfigureAwait(false);

        var finished = await RunChaptersAsync(run, known, cancellationToken).ConfigureAwait(false);
        var error = await outcome.FinishAsync(run, book, finished, cancellationToken).ConfigureAwait(false);
        if (error is null)
        {
            await progress.ReportAsync(100, "Completed", cancellationToken).ConfigureAwait(false);
        }

        return error;
    }

    private async Task<List<Chapter>> RunChaptersAsync(BookRunContext run, IReadOnlyList<Chapter> known, CancellationToken cancellationToken)
    {
        using var fatalCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? fatal = null;
        var stopped = false;

        async Task<Chapter?> RunOneAsync(Chapter chapter)
        {
            try
            {
                return await chapters.RunAsync(run, chapter, fatalCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (run.Stopping.IsCancellationRequested && !fatalCts.IsCancellationRequested)
            {
                // A checkpoint at shutdown: this chapter did not start its next step; the others finish theirs.
                stopped = true;
                return null;
            }
            catch (Exception ex)
            {
                if (Interlocked.CompareExchange(ref fatal, ex, null) is null)
                {
                    await fatalCts.CancelAsync().ConfigureAwait(false);
                }

                return null;
            }
            finally
            {
                run.Admission.Ended(chapter.Number);
            }
        }

        // Chapters start in book order, each once the work already started leaves room for it (ChapterAdmission).
        var started = new List<Task<Chapter?>>(known.Count);
        using (var admitting = CancellationTokenSource.CreateLinkedTokenSource(fatalCts.Token, run.Stopping))
        {
            foreach (var chapter in known)
            {
                if (chapter.Status != ChapterStatus.Completed)
                {
                    try
                    {
                        await run.Admission.AdmitAsync(chapter.Number, admitting.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (admitting.IsCancellationRequested)
                    {
                        // A job-wide failure, shutdown or cancellation: the chapters not started stay as they are.
                        stopped |= run.Stopping.IsCancellationRequested && !fatalCts.IsCancellationRequested;
                        break;
                    }
                }

                started.Add(RunOneAsync(chapter));
            }
        }

        var results = await Task.WhenAll(started).ConfigureAwait(false);
        if (fatal is not null)
        {
            ExceptionDispatchInfo.Throw(fatal);
        }

        if (stopped)
        {
            throw new OperationCanceledException("The node is shutting down; finished chapters are stored.", run.Stopping);
        }

        cancellationToken.ThrowIfCancellationRequested();

        return [.. results.OfType<Chapter>().OrderBy(c => c.Number)];
    }
}
