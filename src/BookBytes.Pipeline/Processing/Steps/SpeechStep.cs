using BookBytes.Pipeline.Audio;
using BookBytes.Pipeline.Transcripts;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Begins a chapter's speech (<see cref="ChapterSpeech"/>): its text is cut at sentence and paragraph boundaries into chunks
/// no longer than <c>Tts:ChunkCharacters</c> (and the provider's limit) as it arrives, synthesized in parallel within the node's
/// TTS throttle — each call retried where it failed and its audio checked — and joined in order. Every chunk is kept in
/// storage as a segment as soon as it is spoken, so a retried or resumed chapter buys only the chunks it lacks, and the
/// chapter can be listened to while it is made. One chunk failing for good fails the chapter and stops its others.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="calls">Retries a failed speech call where it failed.</param>
/// <param name="check">Checks each answer's duration against its text.</param>
internal sealed class SpeechStep(PipelineServices services, CallRetry calls, SpeechCheck check)
{
    /// <summary>Begins the chapter's speech; nothing is called until text comes.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="chapterNumber">The chapter.</param>
    /// <param name="spend">The chapter's cost; each call that returned audio adds its characters.</param>
    /// <param name="cancellationToken">A token that cancels the chapter.</param>
    /// <returns>The chapter's speech, to be given its text and disposed of.</returns>
    public ChapterSpeech Begin(BookRunContext run, int chapterNumber, ChapterSpend spend, CancellationToken cancellationToken)
        => new(services, calls, check, run, chapterNumber, spend, cancellationToken);

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
}
