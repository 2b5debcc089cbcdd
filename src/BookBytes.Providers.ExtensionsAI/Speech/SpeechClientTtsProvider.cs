// ITextToSpeechClient and its types are experimental in Microsoft.Extensions.AI 10 (MEAI001); this file builds on them deliberately.
#pragma warning disable MEAI001
using BookBytes.Tts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BookBytes.Providers.ExtensionsAI.Speech;

/// <summary>
/// An <see cref="ITtsProvider"/> over any Microsoft.Extensions.AI <see cref="ITextToSpeechClient"/>.
/// <see cref="ITextToSpeechClient"/> is experimental in Microsoft.Extensions.AI 10 (diagnostic <c>MEAI001</c>):
/// code that creates one sees that warning and decides to accept it; this type itself does not add one.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="SpeechRequest"/> is sent as <see cref="TextToSpeechOptions"/>: the voice as
/// <see cref="TextToSpeechOptions.VoiceId"/> (the configured default when blank), the format by its file
/// name (<c>mp3</c>, <c>opus</c>, <c>aac</c>, <c>flac</c>, <c>wav</c>, <c>pcm</c>) as
/// <see cref="TextToSpeechOptions.AudioFormat"/>, the speed as <see cref="TextToSpeechOptions.Speed"/>, and
/// the style instructions, which the abstraction has no property for, as the additional property
/// <see cref="InstructionsKey"/> (the OpenAI package passes it on to models that take it). The answer's
/// first <see cref="DataContent"/> is the audio.
/// </para>
/// <para>
/// Text longer than <see cref="SpeechClientTtsOptions.MaxInputCharacters"/>, an empty text, a speed outside
/// the declared range and a format not declared are refused before any call. Failures are translated as
/// <see cref="Chat.ChatClientLlmProvider"/> translates them; an answer without audio is a transient
/// <see cref="ProviderResponseException"/>.
/// </para>
/// <para>Thread-safe when the client is: one instance serves concurrent calls.</para>
/// </remarks>
public sealed class SpeechClientTtsProvider : ITtsProvider
{
    /// <summary>The key of <see cref="TextToSpeechOptions.AdditionalProperties"/> that carries <see cref="SpeechRequest.Instructions"/>.</summary>
    public const string InstructionsKey = "instructions";

    private const string Operation = "Speech synthesis";

    private readonly ITextToSpeechClient _client;
    private readonly string? _modelId;
    private readonly string _modelName;
    private readonly float _minSpeed;
    private readonly float _maxSpeed;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _languageVoices;

    /// <summary>Initializes a new instance over <paramref name="client"/>.</summary>
    /// <param name="client">The speech client; the provider does not dispose it.</param>
    /// <param name="options">What the client accepts; <see langword="null"/> for the defaults (no voices listed, any name passed, mp3).</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options contradict themselves: no positive length, a speed range that is empty, no voice at all, or a default format not among the formats.</exception>
    public SpeechClientTtsProvider(ITextToSpeechClient client, SpeechClientTtsOptions? options = null, ILogger<SpeechClientTtsProvider>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new SpeechClientTtsOptions();
        if (options.MaxInputCharacters <= 0)
        {
            throw new ArgumentException("MaxInputCharacters must be positive.", nameof(options));
        }

        if (!(options.MinSpeed > 0) || !(options.MaxSpeed >= options.MinSpeed))
        {
            throw new ArgumentException("The speed range must be positive and MinSpeed at most MaxSpeed.", nameof(options));
        }

        var voices = options.Voices.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var defaultVoice = string.IsNullOrWhiteSpace(options.DefaultVoice) ? voices.FirstOrDefault() : options.DefaultVoice.Trim();
        if (defaultVoice is null && !options.AcceptsOtherVoices)
        {
            throw new ArgumentException("Name at least one voice, or a default voice, when other voices are not accepted.", nameof(options));
        }

        var formats = options.Formats.Count > 0 ? options.Formats.Distinct().ToArray() : [options.DefaultFormat];
        if (!formats.Contains(options.DefaultFormat))
        {
            throw new ArgumentException($"The default format {options.DefaultFormat} is not among the declared formats.", nameof(options));
        }

        _client = client;
        _modelId = string.IsNullOrWhiteSpace(options.ModelId) ? null : options.ModelId.Trim();
        var metadata = client.GetService<TextToSpeechClientMetadata>();
        ModelId = _modelId ?? (string.IsNullOrWhiteSpace(metadata?.DefaultModelId) ? null : metadata.DefaultModelId.Trim());
        _modelName = ModelId ?? metadata?.ProviderName ?? client.GetType().Name;
        _minSpeed = options.MinSpeed;
        _maxSpeed = options.MaxSpeed;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _languageVoices = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (language, voice) in options.LanguageVoices)
        {
            if (!string.IsNullOrWhiteSpace(language) && !string.IsNullOrWhiteSpace(voice))
            {
                _languageVoices[language.Trim()] = voice.Trim();
            }
        }

        Capabilities = new TtsCapabilities(
            options.MaxInputCharacters, Array.AsReadOnly(voices), Array.AsReadOnly(formats), options.AcceptsOtherVoices, defaultVoice, options.DefaultFormat);
    }

    /// <inheritdoc/>
    /// <remarks>Declared by <see cref="SpeechClientTtsOptions"/>: the abstraction cannot tell them.</remarks>
    public TtsCapabilities Capabilities { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="SpeechClientTtsOptions.ModelId"/> when set, else the model the client's
    /// <see cref="TextToSpeechClientMetadata.DefaultModelId"/> names; <see langword="null"/> when neither says.
    /// </remarks>
    public string? ModelId { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// From <see cref="SpeechClientTtsOptions.LanguageVoices"/>: the whole tag first, then shorter prefixes
    /// (<c>pt-BR</c>, then <c>pt</c>).
    /// </remarks>
    public string? VoiceFor(string language)
    {
        if (string.IsNullOrWhiteSpace(language) || _languageVoices.Count == 0)
        {
            return null;
        }

        var tag = language.Trim().Replace('_', '-');
        while (tag.Length > 0)
        {
            if (_languageVoices.TryGetValue(tag, out var voice))
            {
                return voice;
            }

            var cut = tag.LastIndexOf('-');
            tag = cut < 0 ? string.Empty : tag[..cut];
        }

        return null;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The text is empty or longer than the declared limit, or no voice is named and none is configured.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The speed is outside the declared range, or the format is not one of the declared formats.</exception>
    public async Task<ReadOnlyMemory<byte>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken = default)
    {
        var options = CreateOptions(request);
        Log.SpeechRequested(_logger, request.Text.Length, _modelName, options.VoiceId!, options.AudioFormat!);
        TextToSpeechResponse response;
        try
        {
            response = await _client.GetAudioAsync(request.Text, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            Log.CallFailed(_logger, Operation, ex.StatusCode, ex.IsTransient, ex);
            throw;
        }
        catch (Exception ex) when (ClientErrors.IsCallFailure(ex, cancellationToken))
        {
            var mapped = ClientErrors.Map(ex, Operation, _modelName);
            Log.CallFailed(_logger, Operation, mapped.StatusCode, mapped.IsTransient, mapped);
            throw mapped;
        }

        // A client that stops quietly when the token is cancelled returns no audio: that is the caller's cancellation.
        cancellationToken.ThrowIfCancellationRequested();
        var audio = response.Contents.OfType<DataContent>().FirstOrDefault()?.Data ?? ReadOnlyMemory<byte>.Empty;
        if (audio.IsEmpty)
        {
            Log.UnusableAnswer(_logger, Operation, "no audio");
            throw new ProviderResponseException($"{Operation} with '{_modelName}' returned no audio.", isTransient: true);
        }

        Log.SpeechReceived(_logger, request.Text.Length, audio.Length);
        return audio;
    }

    private TextToSpeechOptions CreateOptions(SpeechRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw new ArgumentException("The text to speak is empty.", nameof(request));
        }

        var limit = Capabilities.MaxInputCharacters;
        if (request.Text.Length > limit)
        {
            throw new ArgumentException(
                $"The text has {request.Text.Length} characters; the speech client accepts at most {limit} per call. "
                + "Split it into chunks first (the pipeline's TextChunker does).",
                nameof(request));
        }

        if (request.Speed is { } speed && (float.IsNaN(speed) || speed < _minSpeed || speed > _maxSpeed))
        {
            throw new ArgumentOutOfRangeException(nameof(request), speed, $"The speed must be between {_minSpeed} and {_maxSpeed} (1.0 is normal).");
        }

        if (!Capabilities.Formats.Contains(request.Format))
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Format, $"The speech client produces {string.Join(", ", Capabilities.Formats)}.");
        }

        var voice = string.IsNullOrWhiteSpace(request.Voice)
            ? Capabilities.DefaultVoice ?? throw new ArgumentException("The request names no voice and none is configured.", nameof(request))
            : request.Voice.Trim();
        var options = new TextToSpeechOptions
        {
            ModelId = _modelId,
            VoiceId = voice,
            AudioFormat = request.Format.GetFileExtension(),
            Speed = request.Speed,
        };
        if (!string.IsNullOrWhiteSpace(request.Instructions))
        {
            options.AdditionalProperties = new AdditionalPropertiesDictionary { [InstructionsKey] = request.Instructions };
        }

        return options;
    }
}
