using System.Globalization;
using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Storage;
using BookBytes.Storage;
using Microsoft.Extensions.Logging;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// The one owner of an audiobook's outcome: decides and records its status when an attempt ends — served,
/// partly built, failed — and removes a replaced version's files. The served version's chapters decide the
/// status: a failed build of a new version leaves the served one as it was.
/// </summary>
/// <param name="services">The pipeline's services.</param>
internal sealed partial class AudioBookOutcome(PipelineServices services)
{
    /// <summary>Completed when every chapter is stored, Failed when none is, else PartiallyCompleted.</summary>
    /// <param name="chapters">The chapters of one version.</param>
    /// <returns>The status.</returns>
    public static AudioBookStatus StatusOf(IReadOnlyCollection<Chapter> chapters)
    {
        var completed = chapters.Count(c => c.Status == ChapterStatus.Completed);
        return completed == 0 ? AudioBookStatus.Failed
            : completed == chapters.Count ? AudioBookStatus.Completed
            : AudioBookStatus.PartiallyCompleted;
    }

    /// <summary>Records the end of an attempt whose chapters all ran: the version is served when all are stored.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="book">The audiobook as this attempt left it.</param>
    /// <param name="chapters">The version's chapters, each Completed or Failed.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns><see langword="null"/> when the book is complete; else the error naming the failed chapters (the audiobook's status is recorded either way).</returns>
    public async Task<JobError?> FinishAsync(BookRunContext run, AudioBook book, IReadOnlyList<Chapter> chapters, CancellationToken cancellationToken)
    {
        var failed = chapters.Where(c => c.Status == ChapterStatus.Failed).ToList();
        var now = services.Time.GetUtcNow();
        var usage = book.Usage + run.Progress.Usage;
        var duration = chapters.Where(c => c.Status == ChapterStatus.Completed).Sum(c => c.DurationSeconds ?? 0);

        if (failed.Count > 0)
        {
            var error = new JobError(ErrorCodes.ChaptersFailed, ChaptersFailedMessage([.. failed.Select(c => c.Number)], failed[0].ErrorMessage));
            var building = book.PendingVersion is not null;

            // Building a new version leaves the served one as it was; otherwise what is served is what was built.
            var status = building ? await ServedStatusAsync(book, cancellationToken).ConfigureAwait(false) : StatusOf(chapters);
            await services.Books.UpdateAudioBookAsync(
                book with
                {
                    Status = status,
                    ErrorMessage = building ? "The new version could not be completed: " + error.Message : error.Message,
                    TotalDurationSeconds = building ? book.TotalDurationSeconds : duration,
                    Usage = usage,
                    UpdatedAt = now,
                },
                run.Lease,
                cancellationToken).ConfigureAwait(false);
            return error;
        }

        var replaced = book.PendingVersion is not null ? book.Version : (int?)null;
        await services.Books.UpdateAudioBookAsync(
            book with
            {
                Status = AudioBookStatus.Completed,
                Version = run.Version,
                PendingVersion = null,
                TotalDurationSeconds = duration,
                ErrorMessage = null,
                Usage = usage,
                UpdatedAt = now,
            },
            run.Lease,
            cancellationToken).ConfigureAwait(false);

        if (replaced is int old)
        {
            await DeleteVersionAsync(run.AudioBookId, old, run.Storage, run.Lease, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>
    /// Records a job's final failure on its audiobook (no retry follows): the served version's chapters decide the
    /// status, so a failed first build is Failed only when none of its chapters was stored.
    /// </summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="targetVersion">The version a forced refresh was building, if it was one.</param>
    /// <param name="error">The failure.</param>
    /// <param name="lease">The job's lease.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>A task that completes when the status is recorded (or the audiobook is gone).</returns>
    public async Task RecordFailureAsync(Guid audioBookId, int? targetVersion, JobError error, JobLease lease, CancellationToken cancellationToken)
    {
        // The row as it is now, not as the attempt first saw it: the attempt may have promoted its version before it
        // failed, and only the status and the message are this record's to change.
        var book = await services.Books.GetAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false);
        if (book is null)
        {
            return;
        }

        var building = book.PendingVersion is not null || (targetVersion is int target && book.Version < target);
        var status = await ServedStatusAsync(book, cancellationToken).ConfigureAwait(false);
        await services.Books.UpdateAudioBookAsync(
            book with
            {
                Status = status,
                ErrorMessage = building ? "The new version could not be built: " + error.Message : error.Message,
                UpdatedAt = services.Time.GetUtcNow(),
            },
            lease,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a replaced version's audio and chapters; a file that cannot be deleted is only wasted space.</summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="version">The replaced version.</param>
    /// <param name="storage">The audio storage.</param>
    /// <param name="lease">The job's lease.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>A task that completes when the version is gone.</returns>
    public async Task DeleteVersionAsync(Guid audioBookId, int version, IStorageBackend storage, JobLease lease, CancellationToken cancellationToken)
    {
        foreach (var chapter in await services.Books.GetChaptersAsync(audioBookId, version, cancellationToken).ConfigureAwait(false))
        {
            if (chapter.AudioKey is null || !StorageKey.TryParse(chapter.AudioKey, out var key))
            {
                continue;
            }

            // The chapter's audio, and its transcript beside it.
            foreach (var file in new[] { key, AudioBookStorageLayout.Transcript(audioBookId, version, chapter.Number) })
            {
                try
                {
                    await storage.DeleteAsync(file, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The new version is live; a leftover file of the old one is only wasted space.
                    LogDeleteFailed(services.Logger, ex, file.Value);
                }
            }
        }

        await services.Books.DeleteChaptersAsync(audioBookId, version, lease, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status of the version an audiobook serves, from that version's chapters.</summary>
    private async Task<AudioBookStatus> ServedStatusAsync(AudioBook book, CancellationToken cancellationToken)
        => StatusOf(await services.Books.GetChaptersAsync(book.Id, book.Version, cancellationToken).ConfigureAwait(false));

    private static string ChaptersFailedMessage(IReadOnlyList<int> numbers, string? firstError)
    {
        var list = string.Join(", ", numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        var noun = numbers.Count == 1 ? "Chapter" : "Chapters";
        return firstError is null ? $"{noun} {list} failed." : $"{noun} {list} failed: {firstError}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Key} of a replaced version")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string key);
}
