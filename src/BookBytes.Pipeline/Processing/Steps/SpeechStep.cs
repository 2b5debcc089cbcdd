using System.Runtime.ExceptionServices;
using BookBytes.Pipeline.Audio;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Storage;
using BookBytes.Pipeline.Text;
using BookBytes.Pipeline.Transcripts;
using BookBytes.Storage;
using BookBytes.Tts;
using Microsoft.Extensions.Logging;
using static BookBytes.Pipeline.Processing.Steps.ProgressReporter;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Speaks a chapter's text: splits it at sentence and paragraph boundaries into chunks no longer than
/// <c>Tts:ChunkCharacters</c> (and the provider's limit), synthesizes them in parallel within the node's TTS
/// throttle — each call retried where it failed and its audio checked — and joins the audio in order. Every
/// chunk is kept in storage as a segment as soon as it is spoken, so a retried or resumed chapter buys only the
/// chunks it lacks. One chunk failing for good fails the chapter and stops its others.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="calls">Retries a failed speech call where it failed.</param>
/// <param name="check">Checks each answer's duration against its text.</param>
internal sealed partial class SpeechStep(PipelineServices services, CallRetry calls, SpeechCheck check)
{
    /// <summary>Speaks the text.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="chapterNumber">The chapter.</param>
    /// <param name="text">The text to speak.</param>
    /// <param name="spend">The chapter's cost; each call that returned audio adds its characters.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>The joined audio and the segments it was joined from.</returns>
    /// <exception cref="ProviderConfigurationException">The text needs several calls but the format cannot be joined.</exception>
    /// <exception cref="ProviderException">A speech call failed after its retries.</exception>
    public async Task<SpokenChapter> SpeakAsync(BookRunContext run, int chapterNumber, string text, ChapterSpend spend, CancellationToken cancellationToken)
    {
        var joinable = AudioJoiner.CanJoin(run.Format);
        var limit = joinable ? Math.Min(services.Options.Tts.ChunkCharacters, run.Tts.Capabilities.MaxInputCharacters) : run.Tts.Capabilities.MaxInputCharacters;
        var chunks = TextChunker.Split(text, limit);
        if (chunks.Count > 1 && !joinable)
        {
            // A setting, not this chapter, is wrong: fatal for the job, never retried.
            throw new ProviderConfigurationException(
                Invariant($"The summary of chapter {chapterNumber} needs {chunks.Count} speech calls, but {run.Format} audio cannot be joined; use mp3, wav, aac or pcm."));
        }

        var extension = run.Format.GetFileExtension();
        var segments = chunks.Select((chunk, i) => AudioBookStorageLayout.ChapterSegment(run.AudioBookId, run.Version, chapterNumber, i + 1, run.Voice, chunk, extension)).ToList();
        var step = Invariant($"Speech of chapter {chapterNumber}");
        run.Admission.BeginSpeaking(chapterNumber, chunks.Count);
        var audio = await WhenAllOrFirstFailureAsync(chunks.Count, async (i, ct) =>
        {
            try
            {
                return await SpeakChunkAsync(run, chapterNumber, step, chunks[i], segments[i], spend, ct, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                run.Admission.ChunkDone();
            }
        }, cancellationToken).ConfigureAwait(false);
        var joined = AudioJoiner.Join(run.Format, audio);
        return new SpokenChapter(joined, segments, Timing(run.Format, chunks, audio, joined.DurationSeconds));
    }

    /// <summary>Each chunk's duration as its audio tells it; shared out by characters when the format does not tell it per chunk.</summary>
    internal static IReadOnlyList<TimedText> Timing(AudioFormat format, IReadOnlyList<string> chunks, IReadOnlyList<ReadOnlyMemory<byte>> audio, double? total)
    {
        var measured = audio.Select(a => AudioJoiner.MeasureDuration(format, a)).ToList();
        if (measured.All(d => d is not null))
        {
            return [.. chunks.Select((text, i) => new TimedText(text, measured[i]!.Value))];
        }

        var characters = Math.Max(1, chunks.Sum(c => c.Length));
        return [.. chunks.Select(text => new TimedText(text, (total ?? 0) * text.Length / characters))];
    }

    private async Task<ReadOnlyMemory<byte>> SpeakChunkAsync(
        BookRunContext run, int chapterNumber, string step, string chunk, StorageKey segment, ChapterSpend spend, CancellationToken cancellationToken, CancellationToken keepToken)
    {
        if (await ReadSegmentAsync(run, segment, chunk, cancellationToken).ConfigureAwait(false) is { } kept)
        {
            return kept;
        }

        var spoken = await calls.RunAsync(services.Throttles.Tts, step, async c =>
        {
            using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("tts.synthesize");
            var request = new SpeechRequest(chunk, run.Voice, run.Format);
            var audio = await run.Unless(() => run.Tts.SynthesizeAsync(request, c)).ConfigureAwait(false);

            // Counted per call that returned audio — refused below or not — so a chapter shows what it cost.
            spend.AddCharacters(chunk.Length);
            run.Progress.SpendCharacters(chunk.Length);
            check.Verify(run.Format, chunk, request.Speed, audio);
            return audio;
        }, run.Progress.WaitingAsync, cancellationToken, run.OrderOf(chapterNumber)).ConfigureAwait(false);

        // Kept even when a sibling chunk's failure has just cancelled this one: the audio is paid for.
        await KeepSegmentAsync(run, segment, spoken, keepToken).ConfigureAwait(false);
        return spoken;
    }

    /// <summary>A chunk an earlier attempt spoke and kept, when it is stored and still passes the check.</summary>
    private async Task<ReadOnlyMemory<byte>?> ReadSegmentAsync(BookRunContext run, StorageKey segment, string chunk, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await run.Storage.OpenReadAsync(segment, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                return null;
            }

            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                ReadOnlyMemory<byte> audio = buffer.ToArray();
                check.Verify(run.Format, chunk, null, audio);
                LogSegmentKept(services.Logger, segment.Value);
                return audio;
            }
        }
        catch (Exception ex) when (ex is StorageException or ProviderException or IOException)
        {
            // A segment that cannot be read (or is not good audio) is spoken again: it only saves money.
            LogSegmentUnreadable(services.Logger, ex, segment.Value);
            return null;
        }
    }

    private async Task KeepSegmentAsync(BookRunContext run, StorageKey segment, ReadOnlyMemory<byte> audio, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = new MemoryStream(audio.ToArray(), writable: false);
            await run.Storage.SaveAsync(segment, stream, run.Format.GetContentType(), cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            // The chunk is in memory and the chapter can still be stored; only a later retry would pay for it again.
            LogSegmentNotKept(services.Logger, ex, segment.Value);
        }
    }

    private static async Task<ReadOnlyMemory<byte>[]> WhenAllOrFirstFailureAsync(
        int count,
        Func<int, CancellationToken, Task<ReadOnlyMemory<byte>>> run,
        CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            try
            {
                return await run(i, cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One chunk failed for good: the chapter fails, so its other chunks need not finish.
                await cts.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToArray();

        try
        {
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            var root = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault();
            if (root is not null)
            {
                ExceptionDispatchInfo.Throw(root);
            }

            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Segment {Key} was spoken by an earlier attempt; kept")]
    private static partial void LogSegmentKept(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Key} could not be read back; speaking it again")]
    private static partial void LogSegmentUnreadable(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Key} could not be kept; a retry of its chapter would speak it again")]
    private static partial void LogSegmentNotKept(ILogger logger, Exception exception, string key);
}
