using System.Globalization;
using System.Text;
using BookBytes.Pipeline.Text;

namespace BookBytes.Pipeline.Transcripts;

/// <summary>
/// Writes a chapter's WebVTT transcript: one cue per sentence (and per heading line; long sentences split at clause breaks), timed from the
/// synthesized audio — each chunk's cues fill exactly that chunk's duration, shared out by characters, so timing
/// never drifts past a chunk boundary.
/// </summary>
internal static class WebVtt
{
    /// <summary>The longest cue text, in characters: about two lines of captions.</summary>
    public const int CueCharacters = 160;

    /// <summary>The media type of WebVTT.</summary>
    public const string ContentType = "text/vtt";

    /// <summary>Writes the transcript.</summary>
    /// <param name="spoken">The chunks in order, with their durations.</param>
    /// <returns>The WebVTT document.</returns>
    public static string Write(IReadOnlyList<TimedText> spoken)
    {
        ArgumentNullException.ThrowIfNull(spoken);
        var vtt = new StringBuilder("WEBVTT\n");
        var start = 0.0;
        var cue = 0;
        foreach (var chunk in spoken)
        {
            var seconds = Math.Max(0, chunk.Seconds);
            var pieces = Cues(chunk.Text);
            var characters = pieces.Sum(p => (double)p.Length);
            var at = start;
            for (var i = 0; i < pieces.Count; i++)
            {
                // The last cue of a chunk ends where the chunk's audio ends, whatever rounding did before it.
                var end = i == pieces.Count - 1 ? start + seconds : at + (seconds * pieces[i].Length / characters);
                vtt.Append('\n').Append(++cue).Append('\n')
                    .Append(Timestamp(at)).Append(" --> ").Append(Timestamp(end)).Append('\n')
                    .Append(Escape(pieces[i])).Append('\n');
                at = end;
            }

            start += seconds;
        }

        return vtt.ToString();
    }

    /// <summary>A cue per sentence; a sentence longer than <see cref="CueCharacters"/> is split at clause breaks.</summary>
    private static List<string> Cues(string text)
        => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(TextChunker.Sentences)
            .SelectMany(sentence => sentence.Length > CueCharacters ? TextChunker.Split(sentence, CueCharacters) : [sentence])
            .Where(cue => cue.Length > 0)];

    /// <summary>Formats a time as WebVTT's <c>hh:mm:ss.ttt</c>.</summary>
    /// <param name="seconds">The time in seconds.</param>
    /// <returns>The timestamp.</returns>
    public static string Timestamp(double seconds)
    {
        var total = (long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"{total / 3_600_000:D2}:{total / 60_000 % 60:D2}:{total / 1000 % 60:D2}.{total % 1000:D3}");
    }

    // Cue text is a small markup language: '&' and '<' start entities and tags, and "-->" or a blank line would end the cue.
    private static string Escape(string text)
    {
        var visible = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
        var line = string.Join(' ', visible.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }
}
