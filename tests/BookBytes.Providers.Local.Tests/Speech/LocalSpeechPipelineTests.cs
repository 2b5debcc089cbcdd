using BookBytes.AudioBooks;
using BookBytes.Llm;
using BookBytes.Storage.Local;
using BookBytes.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.Providers.Local.Tests.Speech;

/// <summary>The pipeline with the fake language model, the real local speech engines and a temp-folder storage.</summary>
public sealed class LocalSpeechPipelineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bookbytes-local-speech-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_summarised_book_is_stored_as_one_valid_mp3_per_chapter()
    {
        var llm = new FakeLlmProvider { ChapterCount = 2 };
        var services = new ServiceCollection();
        services.AddBookBytes(PipelineRun.Fast)
            .AddLocalSpeech()
            .AddLocalStorage(o => o.RootPath = _root);
        services.AddSingleton<ILlmProvider>(llm);

        var book = await PipelineRun.RunBookAsync(services);

        book.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        book.Chapters.Should().HaveCount(2);
        foreach (var chapter in book.Chapters)
        {
            chapter.Status.Should().Be(ChapterStatus.Completed);
            chapter.AudioKey.Should().EndWith(".mp3");
            var file = Path.Combine(_root, chapter.AudioKey!.Replace('/', Path.DirectorySeparatorChar));
            var probed = SpeechTools.Probe(await File.ReadAllBytesAsync(file), "mp3");
            probed.Should().BeEquivalentTo(new { Codec = "mp3", SampleRate = 24000, Channels = 1 });
            probed.Seconds.Should().BeGreaterThan(chapter.Summary!.Length / 25.0, "every chunk of the summary is spoken");
        }
    }

    [Fact]
    public async Task Without_ffmpeg_a_book_is_stored_as_one_wav_per_chapter_under_a_correct_header()
    {
        var services = new ServiceCollection();
        services.AddBookBytes(PipelineRun.Fast)
            .AddLocalSpeech(o => o.FfmpegPath = Path.Combine(_root, "no-ffmpeg"))
            .AddLocalStorage(o => o.RootPath = _root);
        services.AddSingleton<ILlmProvider>(new FakeLlmProvider { ChapterCount = 1 });

        var book = await PipelineRun.RunBookAsync(services);

        var chapter = book.Chapters.Should().ContainSingle().Subject;
        chapter.AudioKey.Should().EndWith(".wav");
        var audio = await File.ReadAllBytesAsync(Path.Combine(_root, chapter.AudioKey!.Replace('/', Path.DirectorySeparatorChar)));
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(audio.AsSpan(40)).Should().Be((uint)(audio.Length - 44));
        var probed = SpeechTools.Probe(audio, "wav");
        probed.Codec.Should().Be("pcm_s16le");
        probed.Seconds.Should().BeGreaterThan(chapter.Summary!.Length / 25.0);
    }
}
