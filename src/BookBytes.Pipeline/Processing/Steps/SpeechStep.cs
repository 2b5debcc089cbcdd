using System.Runtime.ExceptionServices;
using BookBytes.Pipeline.Audio;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Text;
using BookBytes.Tts;
using static BookBytes.Pipeline.Processing.Steps.ProgressReporter;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Speaks a chapter's text: splits it at sentence and paragraph boundaries into chunks no longer than
/// <c>Tts:ChunkCharacters</c> (and the provider's limit), synthesizes them in parallel within the node's TTS
/// throttle, and joins the audio in order. One chunk failing for good fails the chapter and stops its others.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="retry">Re-asks for an unusable answer.</param>
internal sealed class SpeechStep(PipelineServices services, AnswerRetry retry)
{
    /// <summary>Speaks the text.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="chapterNumber">The chapter, for messages.</param>
    /// <param name="text">The text to speak.</param>
    /// <param name="spend">The chapter's cost; each call that returned audio adds its characters.</param>
    /// <param name="cancellationToken">A token that cancels the step.</param>
    /// <returns>The joined audio.</returns>
    /// <exception cref="ProviderConfigurationException">The text needs several calls but the format cannot be joined.</exception>
    /// <exception cref="ProviderException">A speech call failed.</exception>
    public async Task<JoinedAudio> SpeakAsync(BookRunContext run, int chapterNumber, string text, ChapterSpend spend, CancellationToken cancellationToken)
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

        var audio = await WhenAllOrFirstFailureAsync(chunks, (chunk, ct) => retry.RunAsync(Invariant($"Speech of chapter {chapterNumber}"), async c =>
        {
            using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("tts.synthesize");
            var request = new SpeechRequest(chunk, run.Voice, run.Format);
            var spoken = await services.Throttles.Tts.RunAsync(s => run.Unless(() => run.Tts.SynthesizeAsync(request, s)), c).ConfigureAwait(false);

            // Counted per call that returned audio, so a chapter that fails later still shows what it cost.
            spend.AddCharacters(chunk.Length);
            run.Progress.SpendCharacters(chunk.Length);
            return spoken;
        }, ct), cancellationToken).ConfigureAwait(false);

        return AudioJoiner.Join(run.Format, audio);
    }

    private static async Task<ReadOnlyMemory<byte>[]> WhenAllOrFirstFailureAsync(
        IReadOnlyList<string> items,
        Func<string, CancellationToken, Task<ReadOnlyMemory<byte>>> run,
        CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = items.Select(async item =>
        {
            try
            {
                return await run(item, cts.Token).ConfigureAwait(false);
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
}
