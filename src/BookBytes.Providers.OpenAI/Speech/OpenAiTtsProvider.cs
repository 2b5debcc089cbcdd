using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BookBytes.Tts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI.Audio;

namespace BookBytes.Providers.OpenAI.Speech;

/// <summary>
/// An <see cref="ITtsProvider"/> on the <c>/audio/speech</c> API of OpenAI or any OpenAI-compatible
/// server (Kokoro-FastAPI, openedai-speech, LocalAI).
/// </summary>
/// <remarks>
/// <para>
/// Accepts every voice the OpenAI SDK knows and passes any other name through (newer voices, voices of
/// compatible servers). <see cref="SpeechRequest.Instructions"/> is sent only to models that accept it
/// (<c>gpt-4o-mini-tts</c> and the other <c>gpt-4o*-tts</c> models), never to <c>tts-1</c>/<c>tts-1-hd</c>.
/// Text over 4,096 characters is refused before any HTTP call; splitting is the caller's job.
/// </para>
/// <para>Thread-safe: one instance serves concurrent calls.</para>
/// </remarks>
internal sealed class OpenAiTtsProvider : ITtsProvider
{
    private const string ModelKey = OpenAiOptions.SectionName + ":SpeechModel";
    private const string Operation = "Speech synthesis";
    // The voices OpenAI.Audio.GeneratedSpeechVoice knows in SDK 2.15; newer ones pass through.
    private static readonly IReadOnlyList<string> KnownVoices =
        Array.AsReadOnly<string>(["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse"]);

    private static readonly IReadOnlyList<AudioFormat> AllFormats = Array.AsReadOnly(Enum.GetValues<AudioFormat>());

    private readonly AudioClient _client;
    private readonly string _model;
    private readonly Uri _endpoint;
    private readonly string _defaultVoice;
    private readonly TtsCapabilities _capabilities;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance; <see cref="BookBytesBuilderOpenAiExtensions.AddOpenAI"/> creates it.</summary>
    /// <param name="client">An audio client whose HTTP goes through the resilience handler and whose SDK retries are off.</param>
    /// <param name="model">The speech model <paramref name="client"/> was created for.</param>
    /// <param name="endpoint">The endpoint <paramref name="client"/> calls, named in error messages.</param>
    /// <param name="defaultVoice">The voice used when a request's <see cref="SpeechRequest.Voice"/> is blank.</param>
    /// <param name="defaultFormat">The configured format, reported in <see cref="TtsCapabilities.DefaultFormat"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    internal OpenAiTtsProvider(
        AudioClient client,
        string model,
        Uri endpoint,
        string defaultVoice,
        AudioFormat defaultFormat,
        ILogger<OpenAiTtsProvider>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultVoice);
        _client = client;
        _model = model;
        _endpoint = endpoint;
        _defaultVoice = defaultVoice;
        _capabilities = new TtsCapabilities(
            SpeechModels.MaxInputCharacters, KnownVoices, AllFormats, AcceptsOtherVoices: true, defaultVoice, defaultFormat);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// At most 4,096 characters a call; the SDK's voices are listed and any other voice name is passed
    /// through; all six formats; the default voice and format are <c>BookBytes:OpenAI:Voice</c> and <c>:AudioFormat</c>.
    /// </remarks>
    public TtsCapabilities Capabilities => _capabilities;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The speed is outside 0.25–4.0 or the format is not defined.</exception>
    public async Task<ReadOnlyMemory<byte>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken = default)
    {
        var content = CreateBody(request);
        try
        {
            var result = await _client.GenerateSpeechAsync(content, new RequestOptions { CancellationToken = cancellationToken })
                .ConfigureAwait(false);
            var audio = result.GetRawResponse().Content.ToMemory();
            Log.SpeechReceived(_logger, request.Text.Length, audio.Length);
            return audio;
        }
        catch (Exception ex) when (OpenAiErrors.IsCallFailure(ex, cancellationToken))
        {
            throw Fail(ex);
        }
    }

    private ProviderException Fail(Exception exception)
    {
        var mapped = OpenAiErrors.Map(exception, Operation, _endpoint, ModelKey, _timeProvider);
        Log.CallFailed(_logger, Operation, mapped.StatusCode, mapped.IsTransient, mapped);
        return mapped;
    }

    private BinaryContent CreateBody(SpeechRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw new ArgumentException("The text to speak is empty.", nameof(request));
        }

        if (request.Text.Length > SpeechModels.MaxInputCharacters)
        {
            throw new ArgumentException(
                $"The text has {request.Text.Length} characters; the speech API accepts at most {SpeechModels.MaxInputCharacters} per call. "
                + "Split it into chunks first (the pipeline's TextChunker does).",
                nameof(request));
        }

        if (request.Speed is { } speed && (float.IsNaN(speed) || speed < SpeechModels.MinSpeed || speed > SpeechModels.MaxSpeed))
        {
            throw new ArgumentOutOfRangeException(
                nameof(request), speed, $"The speed must be between {SpeechModels.MinSpeed} and {SpeechModels.MaxSpeed} (1.0 is normal).");
        }

        if (!Enum.IsDefined(request.Format))
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Format, "Unknown audio format.");
        }

        var voice = string.IsNullOrWhiteSpace(request.Voice) ? _defaultVoice : request.Voice.Trim();
        var format = request.Format.GetFileExtension();
        Log.SpeechRequested(_logger, request.Text.Length, _model, voice, format);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", _model);
            json.WriteString("input", request.Text);
            json.WriteString("voice", voice);
            json.WriteString("response_format", format);
            if (request.Speed is { } s)
            {
                // Written as a decimal string so 1.1f goes out as 1.1, not 1.100000023841858.
                json.WriteNumber("speed", decimal.Parse(s.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            }

            if (!string.IsNullOrWhiteSpace(request.Instructions) && SpeechModels.AcceptsInstructions(_model))
            {
                json.WriteString("instructions", request.Instructions);
            }

            json.WriteEndObject();
        }

        return BinaryContent.Create(BinaryData.FromBytes(buffer.ToArray()));
    }
}
