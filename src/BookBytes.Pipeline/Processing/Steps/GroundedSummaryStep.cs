using System.Text.Json;
using BookBytes.AudioBooks;
using BookBytes.Llm;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Storage;
using BookBytes.Pipeline.Text;
using BookBytes.Storage;
using Microsoft.Extensions.Logging;
using static BookBytes.Pipeline.Processing.Steps.ProgressReporter;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// A chapter summary grounded in the chapter's own text (a document edition): one call when the text fits the model's
/// input budget, else its parts (<see cref="SummaryParts"/>) summarised in parallel within the LLM throttle and one call
/// combining them. Each part summary is stored as soon as it is written (<c>…/chapter-NNN/part-MMM-{hash}.json</c>), so a
/// crash or retry never asks for a finished part again; they are removed once the chapter's summary is stored.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="retry">Re-asks for an unusable answer.</param>
/// <param name="calls">Retries a failed call where it failed.</param>
internal sealed partial class GroundedSummaryStep(PipelineServices services, AnswerRetry retry, CallRetry calls)
{
    /// <summary>Gives the chapter its summary, unless it has one.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="chapter">The chapter.</param>
    /// <param name="spend">The chapter's unsaved cost; the answers' tokens are added, and taken once saved.</param>
    /// <param name="voice">The chapter's speech, which the chapter's summary (not a part's) streams into as it is written.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>The chapter, <see cref="ChapterStatus.Summarized"/> and stored, or as it was when it had its summary.</returns>
    /// <exception cref="BookBytesException"><see cref="ErrorCodes.TextRequired"/>: the document has no such chapter or it has no text.</exception>
    /// <exception cref="ProviderException">A call failed, or gave no usable answer in its tries.</exception>
    public async Task<Chapter> WriteAsync(BookRunContext run, Chapter chapter, ChapterSpend spend, ChapterSpeech voice, CancellationToken cancellationToken)
    {
        if (chapter.Summary is not null)
        {
            return chapter;
        }

        run.Stopping.ThrowIfCancellationRequested();
        var source = await run.TextOfAsync(chapter.Number, cancellationToken).ConfigureAwait(false);
        if (source is null || source.Paragraphs.Count == 0)
        {
            throw new BookBytesException(Invariant($"Chapter {chapter.Number} has no text in the document to summarise."), ErrorCodes.TextRequired);
        }

        var heading = new ChapterHeading(chapter.Number, chapter.Title);
        var words = run.Book.SummaryWords;
        var maxInput = services.Options.Llm.MaxInputTokens;
        string summary;
        var partKeys = new List<StorageKey>();
        if (SummaryParts.SpeaksItself(source, words))
        {
            // A chapter no longer than its summary would be is its own summary: spoken as it is, nothing asked.
            LogSpokenAsItIs(services.Logger, chapter.Number, source.Words, words);
            summary = EditionText.Narrated(source);
        }
        else if (SummaryParts.Split(run.Llm.CountTokens, EditionText.Body(source), maxInput) is var parts && parts.Count == 1)
        {
            words = SummaryParts.TargetWords(source.Words, words);
            summary = await AskAsync(run, new TextSummaryRequest(heading, parts[0], SummaryScope.Chapter, words), spend, voice, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            LogParts(services.Logger, chapter.Number, parts.Count);
            words = SummaryParts.TargetWords(source.Words, words);
            var partWords = SummaryParts.PartWords(words, parts.Count, maxInput);
            partKeys.AddRange(parts.Select((text, i) => AudioBookStorageLayout.ChapterPart(run.AudioBookId, run.Version, chapter.Number, i + 1, Invariant($"{partWords}\n{text}"))));
            var summaries = await Task.WhenAll(parts.Select((text, i) => PartAsync(
                run, new TextSummaryRequest(heading, text, SummaryScope.Part, partWords, i + 1, parts.Count), partKeys[i], spend, cancellationToken))).ConfigureAwait(false);
            // Part summaries too long together for one call (a small model, a huge chapter) are combined in groups first.
            var level = summaries;
            while (level.Length > 2 && SummaryParts.Groups(run.Llm.CountTokens, level, maxInput) is { Count: > 1 } groups && groups.Count < level.Length)
            {
                LogCombinedInGroups(services.Logger, chapter.Number, level.Length, groups.Count);
                level = await Task.WhenAll(groups.Select(group => AskAsync(
                    run, new TextSummaryRequest(heading, string.Join("\n\n", group), SummaryScope.Combination, partWords, 0, group.Count), spend, null, cancellationToken))).ConfigureAwait(false);
            }

            summary = await AskAsync(run, new TextSummaryRequest(heading, string.Join("\n\n", level), SummaryScope.Combination, words, 0, level.Length), spend, voice, cancellationToken).ConfigureAwait(false);
        }

        voice.TextWritten(summary);
        var written = await ChapterTextStep.SaveSummaryAsync(services, run, chapter, summary, spend, cancellationToken).ConfigureAwait(false);
        foreach (var key in partKeys)
        {
            try
            {
                await run.Storage.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException ex)
            {
                // The summary is stored; a leftover part is only wasted space.
                LogPartNotDeleted(services.Logger, ex, key.Value);
            }
        }

        return written;
    }

    private async Task<string> PartAsync(BookRunContext run, TextSummaryRequest request, StorageKey key, ChapterSpend spend, CancellationToken cancellationToken)
    {
        if (await ReadPartAsync(run, key, request, cancellationToken).ConfigureAwait(false) is { } kept)
        {
            return kept;
        }

        var text = await AskAsync(run, request, spend, null, cancellationToken).ConfigureAwait(false);
        try
        {
            using var stream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new StoredPart(text), EditionText.Json), writable: false);
            await run.Storage.SaveAsync(key, stream, "application/json", cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            // The part is in memory and the chapter can go on; only a retry would ask for it again.
            LogPartNotKept(services.Logger, ex, key.Value);
        }

        return text;
    }

    private async Task<string?> ReadPartAsync(BookRunContext run, StorageKey key, TextSummaryRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await run.Storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                return null;
            }

            await using (stream.ConfigureAwait(false))
            {
                var part = await JsonSerializer.DeserializeAsync<StoredPart>(stream, EditionText.Json, cancellationToken).ConfigureAwait(false);
                AnswerValidator.ValidateSummary(request.Chapter.Number, part?.Text, request.Words);
                LogPartKept(services.Logger, key.Value);
                return part!.Text;
            }
        }
        catch (Exception ex) when (ex is StorageException or JsonException or ProviderResponseException or IOException)
        {
            // A part that cannot be read back is asked for again: it only saves money.
            LogPartUnreadable(services.Logger, ex, key.Value);
            return null;
        }
    }

    private async Task<string> AskAsync(BookRunContext run, TextSummaryRequest request, ChapterSpend spend, ChapterSpeech? voice, CancellationToken cancellationToken)
    {
        var step = request.Scope switch
        {
            SummaryScope.Part => Invariant($"Summary of part {request.Part} of {request.Parts} of chapter {request.Chapter.Number}"),
            SummaryScope.Combination => Invariant($"Combined summary of chapter {request.Chapter.Number}"),
            _ => Invariant($"Summary of chapter {request.Chapter.Number}"),
        };
        var answer = await retry.RunAsync(step, async ct =>
        {
            using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("llm.summary");
            activity?.SetTag("bookbytes.summary.scope", request.Scope.ToString());
            var summary = await calls.RunAsync(services.Throttles.Llm, step, async c =>
            {
                if (voice is null || !services.Options.Llm.StreamSummaries)
                {
                    return await run.Unless(() => run.Llm.SummarizeTextAsync(run.Book, request, c)).ConfigureAwait(false);
                }

                // What an earlier try's refused or broken-off answer made is dropped before asking again.
                await voice.DiscardAsync().ConfigureAwait(false);
                voice.ExpectedCharacters = (int)(request.Words * services.Options.Estimate.CharactersPerWord);
                return await run.Unless(() => run.Llm.StreamTextSummaryAsync(run.Book, request, voice.AppendAsync, c)).ConfigureAwait(false);
            }, run.Progress.WaitingAsync, ct, run.OrderOf(request.Chapter.Number)).ConfigureAwait(false);
            spend.AddTokens(summary.Usage);
            run.Progress.SpendTokens(summary.Usage); // paid for even when the answer is refused below
            AnswerValidator.ValidateSummary(request.Chapter.Number, summary.Text, request.Words);
            return summary;
        }, cancellationToken).ConfigureAwait(false);
        return answer.Text.Trim();
    }

    private sealed record StoredPart(string Text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chapter {ChapterNumber} has {Words} words, no more than its {SummaryWords}-word summary would: spoken as it is")]
    private static partial void LogSpokenAsItIs(ILogger logger, int chapterNumber, int words, int summaryWords);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chapter {ChapterNumber} is longer than the model's input budget: summarised in {Parts} parts, then combined")]
    private static partial void LogParts(ILogger logger, int chapterNumber, int parts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chapter {ChapterNumber}: its {Summaries} part summaries are too long for one call together; combined in {Groups} groups first")]
    private static partial void LogCombinedInGroups(ILogger logger, int chapterNumber, int summaries, int groups);

    [LoggerMessage(Level = LogLevel.Information, Message = "Part summary {Key} was written by an earlier attempt; kept")]
    private static partial void LogPartKept(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Part summary {Key} could not be read back; asking for it again")]
    private static partial void LogPartUnreadable(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Part summary {Key} could not be kept; a retry of its chapter would ask for it again")]
    private static partial void LogPartNotKept(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Part summary {Key} of a summarised chapter could not be deleted")]
    private static partial void LogPartNotDeleted(ILogger logger, Exception exception, string key);
}
