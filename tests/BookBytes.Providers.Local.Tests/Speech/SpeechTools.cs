// ITextToSpeechClient and its types are experimental in Microsoft.Extensions.AI 10 (MEAI001); the tests use them deliberately.
#pragma warning disable MEAI001
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BookBytes.Providers.Local.Speech;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.Local.Tests.Speech;

/// <summary>What ffprobe reads from an audio file.</summary>
internal sealed record ProbedAudio(string Codec, int SampleRate, int Channels, double Seconds);

/// <summary>ffprobe, fake engine scripts and a scratch folder for the speech tests. The real engines are installed by <c>./build.sh test</c>.</summary>
internal sealed class SpeechTools : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("bookbytes-local-speech-").FullName;

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

    public static (byte[] Audio, string MediaType) Audio(TextToSpeechResponse response)
    {
        var content = response.Contents.OfType<DataContent>().Single();
        return (content.Data.ToArray(), content.MediaType);
    }

    /// <summary>Real engines only: ffmpeg, eSpeak NG, Flite and Festival from <c>PATH</c>.</summary>
    public static LocalSpeechOptions RealEngines() => new();

    /// <summary>Writes an executable shell script into <see cref="Folder"/>.</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    /// <summary>Options whose only engine is <paramref name="espeakNg"/> (Flite and Festival not found).</summary>
    public LocalSpeechOptions OnlyEspeak(string espeakNg) => new()
    {
        EspeakNgPath = espeakNg,
        FlitePath = Path.Combine(Folder, "no-flite"),
        Text2WavePath = Path.Combine(Folder, "no-text2wave"),
    };

    /// <summary>A stand-in for eSpeak NG that lists one English voice and runs <paramref name="speak"/> to speak.</summary>
    public string FakeEspeak(string speak) => Script("fake-espeak-ng", $$"""
        if [ "$1" = "--voices" ]; then
          echo "Pty Language       Age/Gender VoiceName          File                 Other Languages"
          echo " 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)"
          exit 0
        fi
        {{speak}}
        """);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
