using System.Globalization;
using BookBytes.Books;
using BookBytes.Tts;

namespace BookBytes.Packaging.Ffmpeg.Tests;

/// <summary>
/// Chapter audio and covers made once per test class by ffmpeg itself: MP3 chapters as the local speech client writes
/// them (24 kHz mono 64 kbit/s, no Xing or ID3 header), WAV chapters, and a blue 300×300 cover as PNG and JPEG.
/// </summary>
public sealed class AudioSamples : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("bookbytes-packaging-samples-").FullName;

    /// <summary>Three MP3 chapters of 3.7, 2.3 and 1.9 seconds of tone.</summary>
    public IReadOnlyList<string> Mp3 { get; private set; } = [];

    /// <summary>Two WAV chapters (24 kHz mono 16-bit) of 2.5 and 1.5 seconds.</summary>
    public IReadOnlyList<string> Wav { get; private set; } = [];

    /// <summary>A 5-minute MP3 chapter, for work that takes long enough to cancel.</summary>
    public string LongMp3 { get; private set; } = string.Empty;

    public byte[] Png { get; private set; } = [];

    public byte[] Jpeg { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Mp3 = await Task.WhenAll(new[] { (440, 3.7), (660, 2.3), (880, 1.9) }.Select((t, i) => MakeMp3Async($"tone-{i + 1}.mp3", t.Item1, t.Item2)));
        Wav = await Task.WhenAll(new[] { (330, 2.5), (550, 1.5) }.Select(async (t, i) =>
        {
            var path = Path.Combine(Folder, $"tone-{i + 1}.wav");
            await Tools.FfmpegAsync("-f", "lavfi", "-i", Sine(t.Item1, t.Item2), "-ac", "1", "-ar", "24000", "-c:a", "pcm_s16le", "-f", "wav", path);
            return path;
        }));
        LongMp3 = await MakeMp3Async("long.mp3", 220, 300);
        var png = Path.Combine(Folder, "cover.png");
        var jpeg = Path.Combine(Folder, "cover.jpg");
        await Tools.FfmpegAsync("-f", "lavfi", "-i", "color=c=blue:s=300x300", "-frames:v", "1", png);
        await Tools.FfmpegAsync("-f", "lavfi", "-i", "color=c=blue:s=300x300", "-frames:v", "1", jpeg);
        Png = await File.ReadAllBytesAsync(png);
        Jpeg = await File.ReadAllBytesAsync(jpeg);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    public CoverImage PngCover => new(Png, "image/png");

    public CoverImage JpegCover => new(Jpeg, "image/jpeg");

    /// <summary>A chapter read from <paramref name="path"/> through a file stream, as the pipeline streams it from storage.</summary>
    public static PackageChapter Chapter(string title, string path, AudioFormat? format = null)
        => new(title, format ?? (path.EndsWith(".wav", StringComparison.Ordinal) ? AudioFormat.Wav : AudioFormat.Mp3), _ => Task.FromResult<Stream>(File.OpenRead(path)));

    private async Task<string> MakeMp3Async(string name, int frequency, double seconds)
    {
        var path = Path.Combine(Folder, name);
        await Tools.FfmpegAsync(
            "-f", "lavfi", "-i", Sine(frequency, seconds), "-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "64k",
            "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", path);
        return path;
    }

    private static string Sine(int frequency, double seconds) => string.Create(CultureInfo.InvariantCulture, $"sine=frequency={frequency}:duration={seconds}");
}

/// <summary>A packager's own temporary folder for one test, so what is left in it afterwards is exactly what the packager left.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("bookbytes-packaging-test-").FullName;

    public IReadOnlyList<string> Entries => Directory.EnumerateFileSystemEntries(Path).ToList();

    public FfmpegPackagingOptions Options(Action<FfmpegPackagingOptions>? configure = null)
    {
        var options = new FfmpegPackagingOptions { TempDirectory = Path };
        configure?.Invoke(options);
        return options;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
