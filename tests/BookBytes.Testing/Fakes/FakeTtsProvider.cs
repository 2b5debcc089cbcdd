using System.Collections.Concurrent;
using BookBytes.Tts;

namespace BookBytes.Testing.Fakes;

/// <summary>
/// A text-to-speech double that answers with valid silent MP3 (one frame per 20 characters) and
/// records every call. <see cref="Behavior"/> injects delays and failures.
/// </summary>
public sealed class FakeTtsProvider : ITtsProvider
{
    private int _calls;

    /// <summary>Gets or sets the model name the double reports (<c>ModelId</c>); <see langword="null"/> by default.</summary>
    public string? ModelName { get; set; }

    /// <inheritdoc/>
    public string? ModelId => ModelName;

    /// <summary>Gets the voice per language tag that <see cref="VoiceFor"/> answers (exact tags, ignoring case).</summary>
    public Dictionary<string, string> LanguageVoices { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public string? VoiceFor(string language) => LanguageVoices.GetValueOrDefault(language);

    /// <summary>Gets or sets what the provider declares.</summary>
    public TtsCapabilities Capabilities { get; set; } = new(4096, ["alloy", "nova"], [AudioFormat.Mp3], AcceptsOtherVoices: true, DefaultVoice: "alloy");

    /// <summary>Gets or sets a hook run before each call with the request and the 1-based call number; throw to fail the call.</summary>
    public Func<SpeechRequest, int, CancellationToken, Task>? Behavior { get; set; }

    /// <summary>Gets every request, in the order calls started.</summary>
    public ConcurrentQueue<SpeechRequest> Requests { get; } = new();

    /// <summary>Gets the number of calls.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Counts the calls whose text contains <paramref name="marker"/>.</summary>
    public int CallsContaining(string marker) => Requests.Count(r => r.Text.Contains(marker, StringComparison.Ordinal));

    /// <summary>Characters per second of the fake's speech: ordinary speech, within the pipeline's plausibility check.</summary>
    public const double CharactersPerSecond = 15;

    /// <summary>The audio the fake returns for a text: silence lasting as long as the text takes to say at <see cref="CharactersPerSecond"/>.</summary>
    public static byte[] AudioFor(string text) => Mp3.Silence(FramesFor(text.Length), (byte)text.Length);

    /// <summary>The number of MP3 frames that last as long as <paramref name="characters"/> take to say.</summary>
    public static int FramesFor(int characters) => Math.Max(1, (int)Math.Ceiling(characters / CharactersPerSecond / Mp3.FrameSeconds));

    /// <inheritdoc/>
    public async Task<ReadOnlyMemory<byte>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Text.Length > Capabilities.MaxInputCharacters)
        {
            throw new ArgumentException($"Text of {request.Text.Length} characters is over the limit.", nameof(request));
        }

        var call = Interlocked.Increment(ref _calls);
        Requests.Enqueue(request);
        if (Behavior is not null)
        {
            await Behavior(request, call, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return AudioFor(request.Text);
    }
}
