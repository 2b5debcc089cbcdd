using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Llm;
using BookBytes.Pipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Finds a book's chapters once per version and stores them: the chapters chosen from the edition's table of contents
/// (an uploaded document's chapters, or the catalog's top-level entries — see <see cref="ChapterPlan"/>), else one
/// outline call to the language model. Chapters named later (a refresh that adds chapters) are added to the stored ones.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="retry">Re-asks for an unusable outline.</param>
/// <param name="calls">Retries a failed outline call where it failed.</param>
internal sealed partial class ChapterSource(PipelineServices services, AnswerRetry retry, CallRetry calls)
{
    /// <summary>The top-level chapter titles of an edition's table of contents; empty when it has none.</summary>
    /// <param name="edition">The edition.</param>
    /// <returns>The titles in order.</returns>
    public static IReadOnlyList<string> TableOfContents(Edition edition)
        => [.. ChapterPlan.Offered(edition, AudioBookGrounding.Model).Select(c => c.Title)];

    /// <summary>Gets the version's stored chapters, finding and storing them the first time and adding chosen ones not stored yet.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="edition">The edition.</param>
    /// <param name="chosen">The chapter numbers the job makes (checked against the edition when it was enqueued), or <see langword="null"/> for the edition's default.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>The chapters in order.</returns>
    /// <exception cref="BookNotKnownException">The model does not know the book.</exception>
    /// <exception cref="ProviderException">The outline call failed, or gave no usable answer in its tries.</exception>
    public async Task<IReadOnlyList<Chapter>> GetChaptersAsync(BookRunContext run, Edition edition, IReadOnlyList<int>? chosen, CancellationToken cancellationToken)
    {
        var stored = await services.Books.GetChaptersAsync(run.AudioBookId, run.Version, cancellationToken).ConfigureAwait(false);
        var grounding = run.Texts is null ? AudioBookGrounding.Model : AudioBookGrounding.Text;
        var offered = ChapterPlan.Offered(edition, grounding);
        if (stored.Count > 0 && (chosen is null || offered.Count == 0))
        {
            return stored;
        }

        IReadOnlyList<ChapterHeading> headings;
        if (offered.Count > 0)
        {
            var numbers = chosen ?? ChapterPlan.Select(edition, null, run.Mode, grounding)!;
            var have = stored.Select(c => c.Number).ToHashSet();
            var byNumber = offered.ToDictionary(c => c.Number);
            headings = [.. numbers.Where(n => !have.Contains(n) && byNumber.ContainsKey(n)).Select(n => new ChapterHeading(n, byNumber[n].Title))];
            if (headings.Count == 0)
            {
                return stored;
            }

            if (stored.Count == 0)
            {
                LogChaptersKnown(services.Logger, headings.Count, grounding == AudioBookGrounding.Text ? "the document" : "the table of contents");
            }
        }
        else
        {
            headings = await HeadingsAsync(run, cancellationToken).ConfigureAwait(false);
        }

        var now = services.Time.GetUtcNow();
        IReadOnlyList<Chapter> added = [.. headings.Select(h => new Chapter
        {
            AudioBookId = run.AudioBookId,
            Version = run.Version,
            Number = h.Number,
            Title = string.IsNullOrWhiteSpace(h.Title) ? ProgressReporter.Invariant($"Chapter {h.Number}") : h.Title,
            Status = ChapterStatus.Pending,
            UpdatedAt = now,
        })];
        await services.Books.SaveChaptersAsync(added, run.Lease, cancellationToken).ConfigureAwait(false);
        return [.. stored.Concat(added).OrderBy(c => c.Number)];
    }

    private async Task<IReadOnlyList<ChapterHeading>> HeadingsAsync(BookRunContext run, CancellationToken cancellationToken)
    {
        var outline = await retry.RunAsync("Outline", async ct =>
        {
            using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("llm.outline");
            var answer = await calls.RunAsync(services.Throttles.Llm, "Outline", c => run.Unless(() => run.Llm.OutlineAsync(run.Book, c)), run.Progress.WaitingAsync, ct).ConfigureAwait(false);
            run.Progress.SpendTokens(answer.Usage); // paid for even when the answer is refused below
            AnswerValidator.ValidateOutline(answer, run.Book.Title);
            return answer;
        }, cancellationToken).ConfigureAwait(false);
        LogChaptersKnown(services.Logger, outline.Chapters.Count, "the language model's outline");
        return outline.Chapters;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} chapters known from {Source}")]
    private static partial void LogChaptersKnown(ILogger logger, int count, string source);
}
