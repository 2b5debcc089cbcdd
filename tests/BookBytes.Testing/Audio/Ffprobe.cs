using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FluentAssertions;

namespace BookBytes.Testing.Audio;

/// <summary>What ffprobe reads from an audio file: its first stream's codec, sample rate and channels, and the duration.</summary>
/// <param name="Codec">The codec name, for example <c>mp3</c> or <c>pcm_s16le</c>.</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Channels">The channels.</param>
/// <param name="Seconds">The duration.</param>
public sealed record ProbedAudio(string Codec, int SampleRate, int Channels, double Seconds);

/// <summary>The real ffprobe (Debian <c>ffmpeg</c>, installed by <c>./build.sh test</c>) on audio the tests made.</summary>
public static class Ffprobe
{
    /// <summary>Writes <paramref name="audio"/> to a temporary file named with <paramref name="extension"/>, probes it and asserts ffprobe found no fault.</summary>
    public static ProbedAudio Probe(byte[] audio, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bookbytes-{Guid.NewGuid():N}.{extension}");
        File.WriteAllBytes(path, audio);
        try
        {
            var info = new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels:format=duration", "-of", "json", path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info) ?? throw new InvalidOperationException("ffprobe did not start; run ./build.sh test, which installs ffmpeg.");
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.Should().Be(0, error);
            error.Should().BeEmpty("ffprobe reads the file without complaint");
            using var json = JsonDocument.Parse(output);
            var stream = json.RootElement.GetProperty("streams")[0];
            return new ProbedAudio(
                stream.GetProperty("codec_name").GetString()!,
                int.Parse(stream.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture),
                stream.GetProperty("channels").GetInt32(),
                double.Parse(json.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
