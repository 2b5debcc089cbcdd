using System.Diagnostics;
using System.Globalization;

namespace BookBytes.Benchmarks.Packaging;

/// <summary>
/// Chapters made once by ffmpeg: a voiced tone gliding around 140 Hz, cut into syllables at about 3 Hz, with pink
/// noise under it — a signal with speech's pitch, rhythm and spectrum, so the encoders work as hard as on speech —
/// encoded as the local speech client does (24 kHz mono 64 kbit/s MP3, no Xing or ID3 header).
/// </summary>
internal static class SpeechLikeAudio
{
    public const int UniqueChapters = 20;

    /// <summary>Makes <see cref="UniqueChapters"/> chapters of <paramref name="minutes"/> in <paramref name="folder"/> unless they are there.</summary>
    /// <returns>The chapter files, in order.</returns>
    public static async Task<IReadOnlyList<string>> EnsureAsync(string folder, double minutes)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        for (var i = 0; i < UniqueChapters; i++)
        {
            var path = Path.Combine(folder, $"chapter-{i + 1:D2}.mp3");
            files.Add(path);
            if (File.Exists(path))
            {
                continue;
            }

            var seconds = (minutes * 60).ToString("0.###", CultureInfo.InvariantCulture);
            var pitch = (120 + (i * 3)).ToString(CultureInfo.InvariantCulture);
            var rate = (2.6 + (i % 5 * 0.2)).ToString("0.0", CultureInfo.InvariantCulture);
            var voice = $"aevalsrc=0.35*sin(2*PI*({pitch}+30*sin(2*PI*0.4*t))*t)*(0.5+0.5*sin(2*PI*{rate}*t)):s=24000:d={seconds}";
            var noise = $"anoisesrc=c=pink:r=24000:a=0.04:d={seconds}:seed={i + 1}";
            await RunAsync("ffmpeg",
            [
                "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", voice, "-f", "lavfi", "-i", noise,
                "-filter_complex", "amix=inputs=2:duration=shortest", "-ac", "1", "-ar", "24000",
                "-c:a", "libmp3lame", "-b:a", "64k", "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", path + ".part",
            ]);
            File.Move(path + ".part", path);
        }

        return files;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start (apt-get install ffmpeg).");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {error}");
        }
    }
}
