// ITextToSpeechClient and its types are experimental in Microsoft.Extensions.AI 10 (MEAI001); the tests use them deliberately.
#pragma warning disable MEAI001
using BookBytes.Providers.Local.Speech;
using BookBytes.Testing.Audio;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.Local.Tests.Speech;

/// <summary>ffprobe (the shared <see cref="Ffprobe"/>), fake engine scripts and a scratch folder for the speech tests. The real engines are installed by <c>./build.sh test</c>.</summary>
internal sealed class SpeechTools : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("bookbytes-local-speech-").FullName;

    public static ProbedAudio Probe(byte[] audio, string extension) => Ffprobe.Probe(audio, extension);

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
