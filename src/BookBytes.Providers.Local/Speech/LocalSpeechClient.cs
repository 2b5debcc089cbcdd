// ITextToSpeechClient and its types are experimental in Microsoft.Extensions.AI 10 (MEAI001); this file builds on them deliberately.
#pragma warning disable MEAI001
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using BookBytes.Tts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BookBytes.Providers.Local.Speech;

/// <summary>
/// A Microsoft.Extensions.AI <see cref="ITextToSpeechClient"/> over the machine's own speech engines: eSpeak NG, Flite
/// and Festival speak to WAV, and ffmpeg, when found, encodes MP3 (24 kHz mono, constant bit rate, no ID3 or Xing
/// header, so chunks concatenate into one valid file). No network, no key.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="TextToSpeechOptions.VoiceId"/> names a <see cref="LocalVoice.Id"/>; when it is blank, the voice for
/// <see cref="TextToSpeechOptions.Language"/>, else <see cref="LocalSpeechEngines.DefaultVoice"/>.
/// <see cref="TextToSpeechOptions.AudioFormat"/> is <c>mp3</c> (with ffmpeg; the default then) or <c>wav</c>.
/// <see cref="TextToSpeechOptions.Speed"/> is 0.5 to 2.0: eSpeak NG's words per minute (175 × speed, 80 to 450), Flite's
/// <c>duration_stretch</c> (1 / speed), Festival's HTS speech rate (<c>-r</c>). The text goes to the engine on its
/// standard input, never as an argument: UTF-8 for eSpeak NG; ISO-8859-1 for Flite and Festival (English voices), with
/// curly quotes, dashes and ellipses made ASCII and other characters outside it sent as <c>?</c>.
/// </para>
/// <para>
/// Each call is bounded: at most <see cref="LocalSpeechOptions.MaxInputCharacters"/> characters, 64 MiB of audio, and
/// <see cref="LocalSpeechOptions.Timeout"/> for engine and encoder together. On time-out or cancellation the process
/// tree is killed. A time-out is a transient <see cref="ProviderException"/>; an engine's error exit a
/// <see cref="ProviderResponseException"/> with the first line it wrote to standard error; a program gone since
/// discovery a <see cref="ProviderConfigurationException"/> naming the Debian package.
/// </para>
/// <para>
/// Thread-safe: every call runs its own processes. At most one call per processor core runs at a time (the engines are
/// single-threaded; more would only share the cores); the others wait, and the time-out starts once a call runs.
/// </para>
/// </remarks>
public sealed class LocalSpeechClient : ITextToSpeechClient
{
    /// <summary>The provider name in <see cref="TextToSpeechClientMetadata"/>.</summary>
    internal const string ProviderName = "local";

    /// <summary>The model id in <see cref="TextToSpeechClientMetadata"/>.</summary>
    internal const string ModelId = "local-speech";

    internal const float MinSpeed = 0.5f;
    internal const float MaxSpeed = 2.0f;
    internal const int MaxOutputBytes = 64 << 20;

    private const int NormalWordsPerMinute = 175;

    private readonly LocalSpeechEngines _engines;
    private readonly TimeSpan _timeout;
    private readonly int _maxInputCharacters;
    private readonly int _mp3Bitrate;
    private readonly ILogger _logger;
    private readonly TextToSpeechClientMetadata _metadata = new(ProviderName, providerUri: null, defaultModelId: ModelId);
    private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>Initializes a new instance over the engines <see cref="LocalSpeechEngines.Discover"/> found.</summary>
    /// <param name="engines">The engines and voices.</param>
    /// <param name="options">The per-call limits and the MP3 bit rate; read once, here.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="engines"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The time-out, the input limit or the bit rate is not positive.</exception>
    public LocalSpeechClient(LocalSpeechEngines engines, LocalSpeechOptions options, ILogger<LocalSpeechClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engines);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxInputCharacters, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Mp3Bitrate, nameof(options));
        _engines = engines;
        _timeout = options.Timeout;
        _maxInputCharacters = options.MaxInputCharacters;
        _mp3Bitrate = options.Mp3Bitrate;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Speaks <paramref name="text"/> and returns the whole audio as one <see cref="DataContent"/> (<c>audio/mpeg</c> or <c>audio/wav</c>).</summary>
    /// <param name="text">The text, at most <see cref="LocalSpeechOptions.MaxInputCharacters"/> characters.</param>
    /// <param name="options">The voice, language, format and speed; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call and kills the engine.</param>
    /// <returns>The response, its model id <c>local-speech</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The text is blank or too long, or the format is not <c>mp3</c> (with ffmpeg) or <c>wav</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The speed is outside 0.5 to 2.0.</exception>
    /// <exception cref="VoiceUnknownException">The voice was not found on this machine.</exception>
    /// <exception cref="ProviderException">The engine or encoder timed out (transient), failed, or is gone; see the remarks of the class.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TextToSpeechResponse> GetAudioAsync(string text, TextToSpeechOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Prepare(text, options);
        LocalSpeechLog.Speaking(_logger, text.Length, call.Voice.Id, call.Mp3 ? "mp3" : "wav", call.Speed);
        await _cores.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        byte[] audio;
        try
        {
            var wav = await SpeakAsync(call.Voice, text, call.Speed, deadline.Token).ConfigureAwait(false);
            audio = call.Mp3 ? await EncodeMp3Async(wav, deadline.Token).ConfigureAwait(false) : WavFile.Normalize(wav);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"Speech with {call.Voice.Id} took longer than {_timeout.TotalSeconds:0.#} s ({LocalSpeechOptions.SectionName}:Timeout); the engine was stopped.");
            LocalSpeechLog.ProgramFailed(_logger, call.Voice.Engine, message);
            throw new ProviderException(message, isTransient: true, ex);
        }
        catch (ProviderException ex)
        {
            LocalSpeechLog.ProgramFailed(_logger, call.Voice.Engine, ex.Message);
            throw;
        }
        finally
        {
            _cores.Release();
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (audio.Length == 0 || (call.Mp3 && audio.Length < 4))
        {
            throw new ProviderResponseException($"{call.Voice.Engine} produced no audio for {text.Length} characters with {call.Voice.Id}.", isTransient: false);
        }

        LocalSpeechLog.Spoke(_logger, text.Length, call.Voice.Id, audio.Length);
        var format = call.Mp3 ? AudioFormat.Mp3 : AudioFormat.Wav;
        return new TextToSpeechResponse([new DataContent(audio, format.GetContentType())]) { ModelId = ModelId };
    }

    /// <summary>Speaks <paramref name="text"/> as <see cref="GetAudioAsync"/> does and yields the whole audio as one update.</summary>
    /// <param name="text">The text.</param>
    /// <param name="options">The voice, language, format and speed; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>One update of kind <see cref="TextToSpeechResponseUpdateKind.AudioUpdated"/> with the audio.</returns>
    /// <exception cref="ArgumentException">As <see cref="GetAudioAsync"/>, when the sequence is enumerated.</exception>
    /// <exception cref="ProviderException">As <see cref="GetAudioAsync"/>, when the sequence is enumerated.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<TextToSpeechResponseUpdate> GetStreamingAudioAsync(
        string text, TextToSpeechOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetAudioAsync(text, options, cancellationToken).ConfigureAwait(false);
        yield return new TextToSpeechResponseUpdate(response.Contents)
        {
            Kind = TextToSpeechResponseUpdateKind.AudioUpdated,
            ModelId = response.ModelId,
        };
    }

    /// <summary>
    /// Gets <see cref="TextToSpeechClientMetadata"/> (provider <c>local</c>, model <c>local-speech</c>), the
    /// <see cref="LocalSpeechEngines"/>, or this client, when asked for without a key.
    /// </summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">A key; any key gives <see langword="null"/>.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(TextToSpeechClientMetadata) ? _metadata
            : serviceType == typeof(LocalSpeechEngines) ? _engines
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the gate that keeps calls to one per core; the client holds nothing else between calls.</summary>
    public void Dispose() => _cores.Dispose();

    private (EngineVoice Voice, bool Mp3, float Speed) Prepare(string text, TextToSpeechOptions? options)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("The text to speak is empty.", nameof(text));
        }

        if (text.Length > _maxInputCharacters)
        {
            throw new ArgumentException(
                $"The text has {text.Length} characters; local speech accepts at most {_maxInputCharacters} per call ({LocalSpeechOptions.SectionName}:MaxInputCharacters).",
                nameof(text));
        }

        var speed = options?.Speed ?? 1f;
        if (float.IsNaN(speed) || speed < MinSpeed || speed > MaxSpeed)
        {
            throw new ArgumentOutOfRangeException(nameof(options), speed, $"The speed must be between {MinSpeed} and {MaxSpeed} (1.0 is normal).");
        }

        bool mp3;
        var format = options?.AudioFormat;
        if (string.IsNullOrWhiteSpace(format))
        {
            mp3 = _engines.CanEncodeMp3;
        }
        else if (format.Trim().Equals("wav", StringComparison.OrdinalIgnoreCase) || format.Trim().Equals("audio/wav", StringComparison.OrdinalIgnoreCase))
        {
            mp3 = false;
        }
        else if (format.Trim().Equals("mp3", StringComparison.OrdinalIgnoreCase) || format.Trim().Equals("audio/mpeg", StringComparison.OrdinalIgnoreCase))
        {
            mp3 = _engines.CanEncodeMp3
                ? true
                : throw new ArgumentException($"MP3 needs ffmpeg, which was not found ({LocalSpeechOptions.SectionName}:FfmpegPath; Debian package ffmpeg: apt-get install ffmpeg). Ask for wav.", nameof(options));
        }
        else
        {
            throw new ArgumentException($"Local speech produces {(_engines.CanEncodeMp3 ? "mp3 or wav" : "wav")}, not '{format}'.", nameof(options));
        }

        var id = !string.IsNullOrWhiteSpace(options?.VoiceId) ? options.VoiceId.Trim()
            : !string.IsNullOrWhiteSpace(options?.Language) ? _engines.VoiceFor(options.Language) ?? _engines.DefaultVoice
            : _engines.DefaultVoice;
        if (id is null)
        {
            throw new VoiceUnknownException("(none)", [], "no speech engine was found on this machine");
        }

        var voice = _engines.Get(id) ?? throw new VoiceUnknownException(id, _engines.Voices.Select(v => v.Id).ToArray());
        return (voice, mp3, speed);
    }

    private Task<byte[]> SpeakAsync(EngineVoice voice, string text, float speed, CancellationToken cancellationToken) => voice.Engine switch
    {
        LocalSpeechEngines.EspeakNg => SpeakEspeakAsync(voice, text, speed, cancellationToken),
        LocalSpeechEngines.Flite => SpeakFliteAsync(voice, text, speed, cancellationToken),
        _ => SpeakFestivalAsync(voice, text, speed, cancellationToken),
    };

    private async Task<byte[]> SpeakEspeakAsync(EngineVoice voice, string text, float speed, CancellationToken cancellationToken)
    {
        var program = Program(_engines.EspeakNgPath, "espeak-ng", "Debian package espeak-ng: apt-get install espeak-ng");
        var wordsPerMinute = Math.Clamp((int)Math.Round(NormalWordsPerMinute * speed), 80, 450);

        // -b 1: the input is UTF-8 whatever the process's locale; --stdin: the whole text, not line by line.
        string[] arguments = ["--stdout", "--stdin", "-b", "1", "-v", voice.EngineName, "-s", wordsPerMinute.ToString(CultureInfo.InvariantCulture)];
        return await program.RunAsync(arguments, Encoding.UTF8.GetBytes(text), MaxOutputBytes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> SpeakFliteAsync(EngineVoice voice, string text, float speed, CancellationToken cancellationToken)
    {
        var program = Program(_engines.FlitePath, "flite", "Debian package flite: apt-get install flite");

        // Flite cannot write its WAV to a pipe (it seeks back to the header and stalls), so it writes a file of ours, in a
        // directory of its own that only this user can read (a book's audio is private).
        var directory = Directory.CreateTempSubdirectory("bookbytes-flite-");
        var file = System.IO.Path.Combine(directory.FullName, "speech.wav");
        try
        {
            var stretch = (1.0 / speed).ToString("0.###", CultureInfo.InvariantCulture);
            string[] arguments = ["-voice", voice.EngineName, "--setf", $"duration_stretch={stretch}", "-f", "/dev/stdin", "-o", file];
            await program.RunAsync(arguments, Encoding.Latin1.GetBytes(EnglishText.Plain(text)), MaxOutputBytes, cancellationToken).ConfigureAwait(false);
            var info = new FileInfo(file);
            if (!info.Exists || info.Length == 0)
            {
                throw new ProviderResponseException($"flite wrote no audio for {text.Length} characters with {voice.Id}.", isTransient: false);
            }

            if (info.Length > MaxOutputBytes)
            {
                throw new ProviderResponseException($"flite wrote more than {MaxOutputBytes} bytes of audio.", isTransient: false);
            }

            return await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task<byte[]> SpeakFestivalAsync(EngineVoice voice, string text, float speed, CancellationToken cancellationToken)
    {
        var program = Program(_engines.Text2WavePath, "text2wave", "Debian packages festival and festvox-us-slt-hts: apt-get install festival festvox-us-slt-hts");

        // HTS voices ignore Festival's Duration_Stretch; the HTS engine's own speech rate (-r) changes the tempo, not the pitch.
        var setup = $"(voice_{voice.EngineName})";
        if (speed != 1f)
        {
            var rate = speed.ToString("0.###", CultureInfo.InvariantCulture);
            var stretch = (1.0 / speed).ToString("0.###", CultureInfo.InvariantCulture);
            setup = $"(begin {setup} (Parameter.set 'Duration_Stretch {stretch}) (set! hts_engine_params (append hts_engine_params (list (list \"-r\" {rate})))))";
        }

        return await program.RunAsync(["-eval", setup], Encoding.Latin1.GetBytes(EnglishText.Plain(text)), MaxOutputBytes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> EncodeMp3Async(byte[] wav, CancellationToken cancellationToken)
    {
        var program = Program(_engines.FfmpegPath, "ffmpeg", "Debian package ffmpeg: apt-get install ffmpeg");

        // One sample rate for every voice, constant bit rate and no Xing or ID3 header: chunks concatenate into one valid MP3.
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0", "-ac", "1", "-ar", "24000",
            "-c:a", "libmp3lame", "-b:a", string.Create(CultureInfo.InvariantCulture, $"{_mp3Bitrate}k"),
            "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "pipe:1",
        ];
        return await program.RunAsync(arguments, wav, MaxOutputBytes, cancellationToken).ConfigureAwait(false);
    }

    private static EngineProgram Program(string? path, string name, string install)
        => path is null
            ? throw new ProviderConfigurationException($"{name} was not found at start-up ({install}).")
            : new EngineProgram(name, path, install);
}
