using BookBytes.AudioBooks;
using BookBytes.Llm;
using BookBytes.Pipeline.Audio;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Storage;
using BookBytes.Pipeline.Transcripts;
using BookBytes.Storage;
using BookBytes.Tts;
using Microsoft.Extensions.Logging;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Makes a chapter playable: stores its audio under <c>audiobooks/{id}/v{n}/chapter-NNN.{ext}</c> and records
/// the chapter <see cref="ChapterStatus.Completed"/> with its size and duration. Audio an earlier attempt
/// stored without recording it is found and kept, not synthesized again.
/// </summary>
/// <param name="services">The pipeline's services.</param>
internal sealed partial class PublishStep(PipelineServices services)
{
    /// <summary>Records a chapter whose audio is stored already, if it is.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="chapter">The chapter, with its text.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>The completed and recorded chapter, or <see langword="null"/> when its audio is not stored.</returns>
    public async Task<Chapter?> FindStoredAsync(BookRunContext run, Chapter chapter, CancellationToken cancellationToken)
    {
        var key = KeyOf(run, chapter);
        if (!await StoredAlreadyAsync(run.Storage, key, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // An earlier attempt stored the audio but stopped before recording it: keep it.
        LogChapterAudioFound(services.Logger, chapter.Number);
        var stored = await ReadAllAsync(run.Storage, key, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(run, Completed(chapter, key, stored.Length, AudioJoiner.MeasureDuration(run.Format, stored), characters: 0), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a chapter's audio and records the chapter completed.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="chapter">The chapter, with its text.</param>
    /// <param name="spoken">The chapter's joined audio and the segments it was joined from, removed once the chapter is recorded.</param>
    /// <param name="characters">The characters its speech calls spoke, saved with the chapter.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>The completed and recorded chapter.</returns>
    /// <exception cref="StorageException">The storage failed.</exception>
    public async Task<Chapter> PublishAsync(BookRunContext run, Chapter chapter, SpokenChapter spoken, long characters, CancellationToken cancellationToken)
    {
        var audio = spoken.Audio;
        var key = KeyOf(run, chapter);
        StoredObject saved;
        using (BookBytesDiagnostics.ActivitySource.StartActivity("storage.save"))
        {
            var stream = audio.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                saved = await run.Storage.SaveAsync(key, stream, run.Format.GetContentType(), cancellationToken).ConfigureAwait(false);
            }
        }

        await SaveTranscriptAsync(run, chapter.Number, spoken.Spoken, cancellationToken).ConfigureAwait(false);
        var recorded = await RecordAsync(run, Completed(chapter, key, saved.Length, audio.DurationSeconds, characters), cancellationToken).ConfigureAwait(false);
        // The segments go first and their list last: a reader of the chapter while it was made finds the file then.
        foreach (var segment in spoken.Segments.Append(spoken.Manifest))
        {
            try
            {
                await run.Storage.DeleteAsync(segment, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException ex)
            {
                // The chapter is stored and recorded; a leftover segment is only wasted space.
                LogSegmentNotDeleted(services.Logger, ex, segment.Value);
            }
        }

        return recorded;
    }

    // The transcript is stored before the chapter is recorded, so a completed chapter has it unless storing it failed;
    // then it is derived from the chapter's text when asked for (less exactly timed), and the chapter is not failed for it.
    private async Task SaveTranscriptAsync(BookRunContext run, int chapterNumber, IReadOnlyList<TimedText> spoken, CancellationToken cancellationToken)
    {
        var key = AudioBookStorageLayout.Transcript(run.AudioBookId, run.Version, chapterNumber);
        try
        {
            using var vtt = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(WebVtt.Write(spoken)), writable: false);
            await run.Storage.SaveAsync(key, vtt, WebVtt.ContentType, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            LogTranscriptNotStored(services.Logger, ex, key.Value);
        }
    }

    private static StorageKey KeyOf(BookRunContext run, Chapter chapter)
        => AudioBookStorageLayout.ChapterAudio(run.AudioBookId, run.Version, chapter.Number, run.Format.GetFileExtension());

    private async Task<Chapter> RecordAsync(BookRunContext run, Chapter chapter, CancellationToken cancellationToken)
    {
        await services.Books.SaveChaptersAsync([chapter], run.Lease, cancellationToken).ConfigureAwait(false);
        return chapter;
    }

    private Chapter Completed(Chapter chapter, StorageKey key, long length, double? duration, long characters) => chapter with
    {
        Status = ChapterStatus.Completed,
        AudioKey = key.Value,
        AudioSizeBytes = length,
        DurationSeconds = duration,
        ErrorMessage = null,
        Usage = chapter.Usage + new UsageTotals(LlmUsage.Zero, characters),
        UpdatedAt = services.Time.GetUtcNow(),
    };

    private async Task<bool> StoredAlreadyAsync(IStorageBackend storage, StorageKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await storage.ExistsAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            // Some stores refuse existence checks (S3 without ListBucket answers 403); synthesizing is then the safe choice.
            LogExistsCheckFailed(services.Logger, ex, key.Value);
            return false;
        }
    }

    private static async Task<byte[]> ReadAllAsync(IStorageBackend storage, StorageKey key, CancellationToken cancellationToken)
    {
        var stream = await storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageException($"The audio at {key} disappeared while it was read.", isTransient: true);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The transcript {Key} could not be stored; it will be derived from the chapter's text")]
    private static partial void LogTranscriptNotStored(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Key} of a stored chapter could not be deleted")]
    private static partial void LogSegmentNotDeleted(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chapter {ChapterNumber}: audio already stored by an earlier attempt; not synthesized again")]
    private static partial void LogChapterAudioFound(ILogger logger, int chapterNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check whether {Key} is stored; synthesizing it")]
    private static partial void LogExistsCheckFailed(ILogger logger, Exception exception, string key);
}
