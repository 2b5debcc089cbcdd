using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace BookBytes.Packaging.Ffmpeg.Tests;

/// <summary>One stream ffprobe lists.</summary>
public sealed record ProbedTrack(string CodecType, string CodecName, bool AttachedPicture, IReadOnlyDictionary<string, string> Tags);

/// <summary>One chapter ffprobe lists.</summary>
public sealed record ProbedChapter(double Start, double End, string Title);

/// <summary>What ffprobe reads from a file: format duration and tags, streams, chapters.</summary>
public sealed record ProbedMedia(double Duration, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<ProbedTrack> Streams, IReadOnlyList<ProbedChapter> Chapters)
{
    public ProbedTrack Audio => Streams.Single(s => s.CodecType == "audio");
}

/// <summary>The real ffprobe (Debian <c>ffmpeg</c>) reading files independently of the packager: <c>-show_chapters -show_format -show_streams -of json</c>.</summary>
public static class MediaProbe
{
    public static async Task<ProbedMedia> ReadAsync(string path)
    {
        var (output, error) = await Tools.RunAsync("ffprobe", ["-v", "error", "-show_chapters", "-show_format", "-show_streams", "-of", "json", path]);
        error.Should().BeEmpty("ffprobe reads {0} without complaint", path);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var format = root.GetProperty("format");
        var streams = root.GetProperty("streams").EnumerateArray().Select(s => new ProbedTrack(
            s.GetProperty("codec_type").GetString()!,
            s.TryGetProperty("codec_name", out var name) ? name.GetString()! : string.Empty,
            s.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.GetInt32() == 1,
            Tags(s))).ToList();
        var chapters = root.GetProperty("chapters").EnumerateArray().Select(c => new ProbedChapter(
            Seconds(c.GetProperty("start_time")),
            Seconds(c.GetProperty("end_time")),
            Tags(c).GetValueOrDefault("title", string.Empty))).ToList();
        return new ProbedMedia(Seconds(format.GetProperty("duration")), Tags(format), streams, chapters);
    }

    /// <summary>The duration of one file as ffprobe reports it (its format's duration).</summary>
    public static async Task<double> DurationAsync(string path) => (await ReadAsync(path)).Duration;

    private static double Seconds(JsonElement value) => double.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Tags(JsonElement element)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (element.TryGetProperty("tags", out var t))
        {
            foreach (var property in t.EnumerateObject())
            {
                tags[property.Name] = property.Value.GetString() ?? string.Empty;
            }
        }

        return tags;
    }
}

/// <summary>Runs ffmpeg and ffprobe for the tests, by argument list.</summary>
public static class Tools
{
    public static async Task<(string Output, string Error)> RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start; apt-get install ffmpeg.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, await error);
        return (await output, await error);
    }

    /// <summary>Runs <c>ffmpeg -hide_banner -loglevel error -y {arguments}</c>.</summary>
    public static Task FfmpegAsync(params string[] arguments) => RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments]);
}
