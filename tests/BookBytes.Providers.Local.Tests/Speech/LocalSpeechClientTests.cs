// ITextToSpeechClient and its types are experimental in Microsoft.Extensions.AI 10 (MEAI001); the tests use them deliberately.
#pragma warning disable MEAI001
using System.Buffers.Binary;
using BookBytes.Providers.Local.Speech;
using BookBytes.Tts;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.Local.Tests.Speech;

public sealed class LocalSpeechClientTests : IDisposable
{
    private const string Sentence = "The quick brown fox jumps over the lazy dog.";
    private const string ThreeSentences = "The quick brown fox jumps over the lazy dog. A second sentence follows the first one closely. And a third sentence ends this little paragraph.";
    private const string German = "Ich möchte ein Brötchen mit Käse, bitte. Die Straße ist schön.";

    private static readonly Lazy<LocalSpeechEngines> Real = new(() => LocalSpeechEngines.Discover(SpeechTools.RealEngines()));

    private readonly SpeechTools _tools = new();

    public void Dispose() => _tools.Dispose();

    private static LocalSpeechClient RealClient() => new(Real.Value, SpeechTools.RealEngines());

    [Fact]
    public async Task A_sentence_is_spoken_as_24_kHz_mono_mp3()
    {
        var response = await RealClient().GetAudioAsync(Sentence);

        var (audio, mediaType) = SpeechTools.Audio(response);
        mediaType.Should().Be("audio/mpeg");
        response.ModelId.Should().Be("local-speech");
        var probed = SpeechTools.Probe(audio, "mp3");
        probed.Should().BeEquivalentTo(new { Codec = "mp3", SampleRate = 24000, Channels = 1 });
        probed.Seconds.Should().BeInRange(Sentence.Length / 25.0, Sentence.Length / 2.0, "the pipeline's plausibility check takes 2 to 25 characters a second");
        audio.AsSpan(0, 3).ToArray().Should().NotEqual("ID3"u8.ToArray(), "chunks are concatenated: no tag in front");
    }

    [Theory]
    [InlineData("espeak-ng.en-us")]
    [InlineData("flite.slt")]
    [InlineData("flite.awb")]
    [InlineData("flite.rms")]
    [InlineData("flite.kal")]
    [InlineData("festival.slt")]
    public async Task Every_engine_speaks_longer_audio_for_longer_text(string voice)
    {
        var client = RealClient();

        var one = SpeechTools.Probe(SpeechTools.Audio(await client.GetAudioAsync(Sentence, new() { VoiceId = voice })).Audio, "mp3");
        var three = SpeechTools.Probe(SpeechTools.Audio(await client.GetAudioAsync(ThreeSentences, new() { VoiceId = voice })).Audio, "mp3");

        one.Should().BeEquivalentTo(new { Codec = "mp3", SampleRate = 24000, Channels = 1 });
        three.Should().BeEquivalentTo(new { Codec = "mp3", SampleRate = 24000, Channels = 1 });
        three.Seconds.Should().BeGreaterThan(one.Seconds * 2);
        one.Seconds.Should().BeInRange(Sentence.Length / 25.0, Sentence.Length / 2.0);
    }

    [Theory]
    [InlineData("espeak-ng.en-us")]
    [InlineData("flite.slt")]
    [InlineData("festival.slt")]
    public async Task Speed_two_is_shorter_than_speed_one_and_half_speed_longer(string voice)
    {
        var client = RealClient();

        var normal = await Seconds(client, voice, 1f);
        var fast = await Seconds(client, voice, 2f);
        var slow = await Seconds(client, voice, 0.5f);

        fast.Should().BeLessThan(normal * 0.75);
        slow.Should().BeGreaterThan(normal * 1.3);
    }

    [Fact]
    public async Task A_German_voice_is_chosen_for_German_and_speaks_German_phonemes()
    {
        // A wrapper around the real eSpeak NG records its arguments and the phonemes (IPA) it speaks, then speaks.
        var log = _tools.Folder;
        var wrapper = _tools.Script("espeak-ng-recording", $$"""
            if [ "$1" = "--voices" ]; then exec espeak-ng "$@"; fi
            printf '%s\n' "$@" > "{{log}}/args"
            cat > "{{log}}/text"
            v=""; prev=""; for a in "$@"; do [ "$prev" = "-v" ] && v="$a"; prev="$a"; done
            espeak-ng -q --ipa -b 1 -v "$v" --stdin < "{{log}}/text" > "{{log}}/ipa"
            exec espeak-ng "$@" < "{{log}}/text"
            """);
        var options = _tools.OnlyEspeak(wrapper);
        var engines = LocalSpeechEngines.Discover(options);
        var client = new LocalSpeechClient(engines, options);
        var voice = engines.VoiceFor("de-DE");

        var german = SpeechTools.Audio(await client.GetAudioAsync(German, new() { VoiceId = voice }));
        var germanArgs = await File.ReadAllLinesAsync(Path.Combine(log, "args"));
        var germanIpa = await File.ReadAllTextAsync(Path.Combine(log, "ipa"));
        var english = SpeechTools.Audio(await client.GetAudioAsync(German, new() { VoiceId = "espeak-ng.en-us" }));
        var englishIpa = await File.ReadAllTextAsync(Path.Combine(log, "ipa"));

        voice.Should().Be("espeak-ng.de");
        germanArgs.Should().ContainInConsecutiveOrder("-v", "de");
        germanArgs.Should().NotContain(a => a.Contains("Brötchen", StringComparison.Ordinal), "the text goes on standard input, never as an argument");
        (await File.ReadAllTextAsync(Path.Combine(log, "text"))).Should().Be(German, "the text arrives as UTF-8");
        germanIpa.Should().Contain("ç").And.Contain("øː").And.Contain("ʃ", "German: ich, Brötchen, Straße, schön");
        englishIpa.Should().NotContain("øː");
        german.Audio.Should().NotEqual(english.Audio);
        SpeechTools.Probe(german.Audio, "mp3").Codec.Should().Be("mp3");
    }

    [Fact]
    public async Task A_request_without_a_voice_takes_the_voice_of_its_language()
    {
        var log = _tools.Folder;
        var wrapper = _tools.Script("espeak-ng-args", $$"""
            if [ "$1" = "--voices" ]; then exec espeak-ng "$@"; fi
            printf '%s\n' "$@" > "{{log}}/args"
            exec espeak-ng "$@"
            """);
        var options = _tools.OnlyEspeak(wrapper);
        var client = new LocalSpeechClient(LocalSpeechEngines.Discover(options), options);

        await client.GetAudioAsync("Bonjour tout le monde.", new() { Language = "fr-FR" });

        (await File.ReadAllLinesAsync(Path.Combine(log, "args"))).Should().ContainInConsecutiveOrder("-v", "fr-fr");
    }

    [Fact]
    public async Task Without_ffmpeg_speech_is_wav_with_a_correct_header()
    {
        var options = new LocalSpeechOptions { FfmpegPath = Path.Combine(_tools.Folder, "no-ffmpeg") };
        var engines = LocalSpeechEngines.Discover(options);
        var client = new LocalSpeechClient(engines, options);

        var espeak = SpeechTools.Audio(await client.GetAudioAsync(ThreeSentences, new() { VoiceId = "espeak-ng.en-us" }));
        var flite = SpeechTools.Audio(await client.GetAudioAsync(Sentence, new() { VoiceId = "flite.slt" }));
        var asMp3 = () => client.GetAudioAsync(Sentence, new() { AudioFormat = "mp3" });

        engines.CanEncodeMp3.Should().BeFalse();
        engines.Missing.Should().ContainSingle(m => m.Contains("apt-get install ffmpeg", StringComparison.Ordinal));
        foreach (var (audio, mediaType) in new[] { espeak, flite })
        {
            mediaType.Should().Be("audio/wav");
            audio.AsSpan(0, 4).ToArray().Should().Equal("RIFF"u8.ToArray());
            BinaryPrimitives.ReadUInt32LittleEndian(audio.AsSpan(4)).Should().Be((uint)(audio.Length - 8));
            BinaryPrimitives.ReadUInt32LittleEndian(audio.AsSpan(40)).Should().Be((uint)(audio.Length - 44), "eSpeak NG's streamed header says 2 GiB");
            var probed = SpeechTools.Probe(audio, "wav");
            probed.Codec.Should().Be("pcm_s16le");
            probed.Seconds.Should().BeGreaterThan(1);
        }

        await asMp3.Should().ThrowAsync<ArgumentException>().WithMessage("*ffmpeg*apt-get install ffmpeg*");
    }

    [Theory]
    [InlineData("espeak-ng.en-us")]
    [InlineData("flite.slt")]
    [InlineData("festival.slt")]
    public async Task Wav_is_given_when_asked_for_even_with_ffmpeg(string voice)
    {
        var (audio, mediaType) = SpeechTools.Audio(await RealClient().GetAudioAsync(Sentence, new() { AudioFormat = "wav", VoiceId = voice }));

        mediaType.Should().Be("audio/wav");
        BinaryPrimitives.ReadUInt32LittleEndian(audio.AsSpan(40)).Should().Be((uint)(audio.Length - 44), "Festival's piped header says 0 bytes");
        var probed = SpeechTools.Probe(audio, "wav");
        probed.Codec.Should().Be("pcm_s16le");
        probed.Seconds.Should().BeInRange(Sentence.Length / 25.0, Sentence.Length / 2.0);
    }

    [Theory]
    [InlineData("flite.slt")]
    [InlineData("festival.slt")]
    public async Task Book_typography_is_spoken_as_its_ascii_form_by_the_English_engines(string voice)
    {
        var client = RealClient();

        var curly = SpeechTools.Audio(await client.GetAudioAsync("\u201CDon\u2019t go\u201D \u2014 she said\u2026", new() { VoiceId = voice, AudioFormat = "wav" }));
        var plain = SpeechTools.Audio(await client.GetAudioAsync("\"Don't go\"  -  she said...", new() { VoiceId = voice, AudioFormat = "wav" }));

        curly.Audio.Should().Equal(plain.Audio);
    }

    [Fact]
    public async Task Text_over_the_limit_is_refused_before_any_engine_runs()
    {
        var marker = Path.Combine(_tools.Folder, "ran");
        var options = _tools.OnlyEspeak(_tools.FakeEspeak($"touch '{marker}'; exit 1"));
        options.MaxInputCharacters = 100;
        var client = new LocalSpeechClient(LocalSpeechEngines.Discover(options), options);

        var act = () => client.GetAudioAsync(new string('a', 101));

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*101 characters*at most 100*MaxInputCharacters*");
        File.Exists(marker).Should().BeFalse();
    }

    [Theory]
    [InlineData(0.4f)]
    [InlineData(2.1f)]
    public async Task A_speed_outside_half_to_double_is_refused(float speed)
    {
        var act = () => RealClient().GetAudioAsync(Sentence, new() { Speed = speed });

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task An_unknown_voice_is_refused_naming_the_voices()
    {
        var act = () => RealClient().GetAudioAsync(Sentence, new() { VoiceId = "flite.nobody" });

        (await act.Should().ThrowAsync<VoiceUnknownException>()).Which.KnownVoices.Should().Contain("flite.slt");
    }

    [Fact]
    public async Task Cancellation_kills_the_engine_and_throws_OperationCanceledException()
    {
        var pidFile = Path.Combine(_tools.Folder, "pid");
        var options = _tools.OnlyEspeak(_tools.FakeEspeak($"echo $$ > '{pidFile}.tmp'; mv '{pidFile}.tmp' '{pidFile}'; exec sleep 600"));
        var client = new LocalSpeechClient(LocalSpeechEngines.Discover(options), options);
        using var cancellation = new CancellationTokenSource();

        var call = client.GetAudioAsync(Sentence, cancellationToken: cancellation.Token);
        var pid = await WaitForPidAsync(pidFile, call);
        await cancellation.CancelAsync();

        await FluentActions.Awaiting(() => call).Should().ThrowAsync<OperationCanceledException>();
        IsRunning(pid).Should().BeFalse("the process tree is killed");
    }

    [Fact]
    public async Task A_timeout_kills_the_engine_and_is_a_transient_provider_failure()
    {
        var pidFile = Path.Combine(_tools.Folder, "pid");
        var options = _tools.OnlyEspeak(_tools.FakeEspeak($"echo $$ > '{pidFile}.tmp'; mv '{pidFile}.tmp' '{pidFile}'; exec sleep 600"));
        options.Timeout = TimeSpan.FromMilliseconds(300);
        var client = new LocalSpeechClient(LocalSpeechEngines.Discover(options), options);

        var act = () => client.GetAudioAsync(Sentence);

        var thrown = (await act.Should().ThrowAsync<ProviderException>().WithMessage("*longer than*Timeout*")).Which;
        thrown.IsTransient.Should().BeTrue();
        IsRunning(int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture)).Should().BeFalse();
    }

    [Fact]
    public async Task An_engine_error_exit_is_a_response_failure_with_its_first_stderr_line()
    {
        var options = _tools.OnlyEspeak(_tools.FakeEspeak("cat > /dev/null; echo 'voice data broken' >&2; echo 'second line' >&2; exit 3"));
        var client = new LocalSpeechClient(LocalSpeechEngines.Discover(options), options);

        var act = () => client.GetAudioAsync(Sentence);

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.Message.Should().Be("espeak-ng exited with code 3: voice data broken");
        thrown.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task An_engine_writing_without_end_is_stopped_at_the_output_limit()
    {
        var options = _tools.OnlyEspeak(_tools.FakeEspeak("exec cat /dev/zero"));
        var client = new LocalSpeechClient(LocalSpeechEngines.Discover(options), options);

        var act = () => client.GetAudioAsync(Sentence);

        (await act.Should().ThrowAsync<ProviderResponseException>()).Which.Message.Should().Contain("more than 67108864 bytes");
    }

    [Fact]
    public async Task An_engine_gone_since_discovery_is_a_configuration_failure_naming_the_package()
    {
        var options = _tools.OnlyEspeak(_tools.FakeEspeak("exit 0"));
        var client = new LocalSpeechClient(LocalSpeechEngines.Discover(options), options);
        File.Delete(options.EspeakNgPath);

        var act = () => client.GetAudioAsync(Sentence);

        var thrown = (await act.Should().ThrowAsync<ProviderConfigurationException>().WithMessage("*espeak-ng*apt-get install espeak-ng*")).Which;
        thrown.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task Streaming_yields_the_whole_audio_as_one_update()
    {
        var updates = new List<TextToSpeechResponseUpdate>();
        await foreach (var update in RealClient().GetStreamingAudioAsync(Sentence, new() { VoiceId = "espeak-ng.en-us" }))
        {
            updates.Add(update);
        }

        updates.Should().ContainSingle().Which.Contents.OfType<DataContent>().Single().MediaType.Should().Be("audio/mpeg");
    }

    [Fact]
    public void Metadata_names_the_local_provider_and_model()
    {
        var metadata = RealClient().GetService<TextToSpeechClientMetadata>();

        metadata!.ProviderName.Should().Be("local");
        metadata.DefaultModelId.Should().Be("local-speech");
    }

    private static async Task<double> Seconds(LocalSpeechClient client, string voice, float speed)
        => SpeechTools.Probe(SpeechTools.Audio(await client.GetAudioAsync(ThreeSentences, new() { VoiceId = voice, Speed = speed })).Audio, "mp3").Seconds;

    private static async Task<int> WaitForPidAsync(string pidFile, Task call)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!File.Exists(pidFile))
        {
            call.IsCompleted.Should().BeFalse("the engine is still running");
            await Task.Delay(20, deadline.Token);
        }

        return int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // A killed child is reaped by the runtime; a zombie entry would still be "Z".
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var fields = File.ReadAllText(stat);
            return !fields[(fields.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
