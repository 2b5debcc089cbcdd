using System.Globalization;
using BookBytes.Pipeline.Audio;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Checks a speech answer before it is kept: it must decode (for formats whose duration can be read — MP3, WAV,
/// AAC, PCM) and last as long as its text plausibly takes at the requested speed, between
/// <c>Tts:MaxCharactersPerSecond</c> and <c>Tts:MinCharactersPerSecond</c> (plus a second of slack). A truncated
/// answer — half its frames, with a matching <c>Content-Length</c> — passes HTTP but not this. Opus and FLAC are
/// not decoded here and pass unchecked.
/// </summary>
/// <param name="minCharactersPerSecond">The slowest speech accepted at speed 1.</param>
/// <param name="maxCharactersPerSecond">The fastest speech accepted at speed 1.</param>
internal sealed class SpeechCheck(double minCharactersPerSecond, double maxCharactersPerSecond)
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    /// <summary>Checks the audio of one chunk.</summary>
    /// <param name="format">The audio format.</param>
    /// <param name="text">The text spoken.</param>
    /// <param name="speed">The requested speed; <see langword="null"/> for 1.</param>
    /// <param name="audio">The answer.</param>
    /// <returns>The audio's duration in seconds, or <see langword="null"/> when the format is not checked.</returns>
    /// <exception cref="ProviderException">The audio does not decode or its duration is implausible for the text (transient: asked for again).</exception>
    public double? Verify(AudioFormat format, string text, float? speed, ReadOnlyMemory<byte> audio)
    {
        if (!AudioJoiner.CanJoin(format))
        {
            return null;
        }

        var seconds = AudioJoiner.MeasureDuration(format, audio)
            ?? throw new ProviderException(Invariant($"The {format} speech answer of {audio.Length} bytes does not decode."), isTransient: true);
        var rate = speed is > 0 ? speed.Value : 1f;
        var shortest = text.Length / (maxCharactersPerSecond * rate);
        var longest = (text.Length / (minCharactersPerSecond * rate)) + Slack.TotalSeconds;
        if (seconds < shortest || seconds > longest)
        {
            throw new ProviderException(
                Invariant($"The speech answer lasts {seconds:0.0} s for {text.Length} characters at speed {rate:0.##}; {shortest:0.0} to {longest:0.0} s are plausible (truncated or not this text's audio)."),
                isTransient: true);
        }

        return seconds;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
