using BookBytes.AudioBooks;
using BookBytes.Llm;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Internal.Text;
using static BookBytes.Pipeline.Processing.Steps.ProgressReporter;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// The text a chapter speaks: a summary from the language model, validated (re-asked when unusable) and
/// stored with the chapter. A chapter whose summary an earlier attempt stored is not asked for again.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="retry">Re-asks for an unusable summary.</param>
/// <param name="calls">Retries a failed summary call where it failed.</param>
internal sealed class ChapterTextStep(PipelineServices services, AnswerRetry retry, CallRetry calls)
{
    /// <summary>Gives the chapter its text, unless it has one.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="chapter">The chapter.</param>
    /// <param name="spend">The chapter's unsaved cost; the answers' tokens are added, and taken once saved.</param>
    /// <param name="voice">The chapter's speech, which the summary streams into as it is written (<c>Llm:StreamSummaries</c>).</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>The chapter, <see cref="ChapterStatus.Summarized"/> and stored, or as it was when it had its text.</returns>
    /// <exception cref="ProviderException">The call failed, or gave no usable answer in its tries.</exception>
    public async Task<Chapter> WriteAsync(BookRunContext run, Chapter chapter, ChapterSpend spend, ChapterSpeech voice, CancellationToken cancellationToken)
    {
        if (chapter.Summary is not null)
        {
            return chapter;
        }

        run.Stopping.ThrowIfCancellationRequested();
        var heading = new ChapterHeading(chapter.Number, chapter.Title);
        var step = Invariant($"Summary of chapter {chapter.Number}");
        voice.ExpectedCharacters = (int)(run.Book.SummaryWords * services.Options.Estimate.CharactersPerWord);
        var summary = await retry.RunAsync(step, async ct =>
        {
            using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("llm.summary");
            var answer = await calls.RunAsync(services.Throttles.Llm, step, async c =>
            {
                // What an earlier try's refused or broken-off answer made is dropped before asking again.
                await voice.DiscardAsync().ConfigureAwait(false);
                return await run.Unless(() => services.Options.Llm.StreamSummaries
                    ? run.Llm.StreamChapterSummaryAsync(run.Book, heading, voice.AppendAsync, c)
                    : run.Llm.SummarizeChapterAsync(run.Book, heading, c)).ConfigureAwait(false);
            }, run.Progress.WaitingAsync, ct, run.OrderOf(chapter.Number)).ConfigureAwait(false);
            spend.AddTokens(answer.Usage);
            run.Progress.SpendTokens(answer.Usage); // paid for even when the answer is refused below
            AnswerValidator.ValidateSummary(chapter.Number, answer.Text, run.Book.SummaryWords);
            return answer;
        }, cancellationToken).ConfigureAwait(false);

        voice.TextWritten(summary.Text.Trim());
        return await SaveSummaryAsync(services, run, chapter, summary.Text.Trim(), spend, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a chapter's summary with the tokens it cost, and counts the chapter's text done.</summary>
    /// <param name="services">The pipeline's services.</param>
    /// <param name="run">The attempt.</param>
    /// <param name="chapter">The chapter.</param>
    /// <param name="text">The summary.</param>
    /// <param name="spend">The chapter's unsaved cost; its tokens are taken once saved.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>The chapter, <see cref="ChapterStatus.Summarized"/> and stored.</returns>
    internal static async Task<Chapter> SaveSummaryAsync(PipelineServices services, BookRunContext run, Chapter chapter, string text, ChapterSpend spend, CancellationToken cancellationToken)
    {
        var written = chapter with
        {
            Status = ChapterStatus.Summarized,
            Summary = text,
            WordCount = WordCounter.Count(text),
            ErrorMessage = null,
            Usage = chapter.Usage + new UsageTotals(spend.Unsaved.Llm, 0),
            UpdatedAt = services.Time.GetUtcNow(),
        };
        await services.Books.SaveChaptersAsync([written], run.Lease, cancellationToken).ConfigureAwait(false);
        spend.TakeTokens();
        await run.Progress.AdvanceAsync(Invariant($"Chapter {chapter.Number} of {run.Progress.Chapters} summarized"), cancellationToken).ConfigureAwait(false);
        return written;
    }
}
