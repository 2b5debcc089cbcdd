using System.Globalization;
using System.Text.Json;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>What ffprobe reads from an audio file: its first audio stream's codec, sample rate and channels, and the duration.</summary>
/// <param name="Codec">The codec name, for example <c>mp3</c> or <c>pcm_s16le</c>.</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Channels">The channels.</param>
/// <param name="Seconds">The duration.</param>
internal sealed record AudioProbe(string Codec, int SampleRate, int Channels, double Seconds)
{
    private const int MaxOutputBytes = 64 << 10;

    /// <summary>Whether two files' audio can be joined without decoding them first: same codec, sample rate and channels.</summary>
    public bool Matches(AudioProbe other) => Codec == other.Codec && SampleRate == other.SampleRate && Channels == other.Channels;

    /// <summary>Probes <paramref name="path"/> with <c>ffprobe -v error -select_streams a:0 -show_entries … -of json</c>.</summary>
    /// <param name="ffprobe">ffprobe.</param>
    /// <param name="path">The file.</param>
    /// <param name="what">The file in messages, for example <c>chapter 3</c>.</param>
    /// <param name="cancellationToken">A token that cancels the probe.</param>
    /// <exception cref="PackagingException">ffprobe failed, or found no audio of a known duration.</exception>
    public static async Task<AudioProbe> ProbeAsync(FfmpegProgram ffprobe, string path, string what, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-v", "error", "-select_streams", "a:0",
            "-show_entries", "stream=codec_name,sample_rate,channels:format=duration", "-of", "json", path,
        ];
        string json;
        try
        {
            json = await ffprobe.RunAsync(arguments, MaxOutputBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (PackagingException ex) when (!ex.IsTransient)
        {
            throw new PackagingException($"ffprobe could not read {what}: {ex.Message}", isTransient: false, ex);
        }

        return Parse(json) ?? throw new PackagingException($"ffprobe found no audio of a known duration in {what}.", isTransient: false);
    }

    /// <summary>Reads ffprobe's JSON answer.</summary>
    /// <returns><see langword="null"/> when it has no audio stream or no positive duration.</returns>
    internal static AudioProbe? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("streams", out var streams) || streams.ValueKind != JsonValueKind.Array || streams.GetArrayLength() == 0
                || !root.TryGetProperty("format", out var format))
            {
                return null;
            }

            var stream = streams[0];
            var codec = stream.TryGetProperty("codec_name", out var c) ? c.GetString() : null;
            var rate = stream.TryGetProperty("sample_rate", out var r) && int.TryParse(r.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sr) ? sr : 0;
            var channels = stream.TryGetProperty("channels", out var ch) && ch.TryGetInt32(out var n) ? n : 0;
            var seconds = format.TryGetProperty("duration", out var d)
                && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0;
            return codec is null || rate <= 0 || channels <= 0 || !double.IsFinite(seconds) || seconds <= 0
                ? null
                : new AudioProbe(codec, rate, channels, seconds);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Measures only the duration of a finished file (its format's duration).</summary>
    /// <exception cref="PackagingException">ffprobe failed, or found no duration.</exception>
    public static async Task<double> DurationAsync(FfmpegProgram ffprobe, string path, CancellationToken cancellationToken)
    {
        var json = await ffprobe.RunAsync(["-v", "error", "-show_entries", "format=duration", "-of", "json", path], MaxOutputBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var d)
                && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds > 0)
            {
                return seconds;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new PackagingException("ffprobe's answer on the packaged file was not JSON.", isTransient: false, ex);
        }

        throw new PackagingException("ffprobe found no duration in the packaged file.", isTransient: false);
    }
}
