using BookBytes.Providers.ExtensionsAI.Speech;
using BookBytes.Tts;

namespace BookBytes.Providers.OpenAI.Speech;

/// <summary>What OpenAI speech models accept.</summary>
internal static class SpeechModels
{
    /// <summary>The longest input one call of <c>/audio/speech</c> accepts.</summary>
    public const int MaxInputCharacters = 4096;

    public const float MinSpeed = 0.25f;

    public const float MaxSpeed = 4.0f;

    /// <summary>The built-in voices of the OpenAI API (<c>marin</c> and <c>cedar</c> are the newest).</summary>
    public static readonly IReadOnlyList<string> Voices =
        Array.AsReadOnly<string>(["alloy", "ash", "ballad", "cedar", "coral", "echo", "fable", "marin", "nova", "onyx", "sage", "shimmer", "verse"]);

    /// <summary>
    /// Tells whether the model takes <c>instructions</c>: the <c>gpt-4o*-tts</c> family does
    /// (<c>gpt-4o-mini-tts</c>, dated snapshots); <c>tts-1</c>, <c>tts-1-hd</c> and unknown models of
    /// compatible servers do not, and some reject requests carrying it.
    /// </summary>
    public static bool AcceptsInstructions(string model)
        => model.StartsWith("gpt-4o", StringComparison.OrdinalIgnoreCase)
            && model.Contains("tts", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// OpenAI's capabilities: 4,096 characters a call, every format, speeds 0.25–4. On the OpenAI API only its
    /// built-in voices are listed and accepted, so an unknown voice is refused at the request. A compatible
    /// server (Kokoro, openedai-speech, LocalAI) has voices of its own: only the configured voice is listed
    /// (it is known to be there) and any other name is passed through, which the pipeline proves with a short
    /// first speech call before it buys anything.
    /// </summary>
    public static SpeechClientTtsOptions Options(OpenAiOptions options)
    {
        var openAiApi = OpenAiOptions.IsOpenAiApi(options.EffectiveSpeechEndpoint);
        var declared = new SpeechClientTtsOptions
        {
            MaxInputCharacters = MaxInputCharacters,
            AcceptsOtherVoices = !openAiApi,
            // As the API spells it: the validator accepted the configured voice whatever its case.
            DefaultVoice = openAiApi ? Voices.FirstOrDefault(v => string.Equals(v, options.Voice.Trim(), StringComparison.OrdinalIgnoreCase)) ?? options.Voice : options.Voice,
            DefaultFormat = options.AudioFormat,
            MinSpeed = MinSpeed,
            MaxSpeed = MaxSpeed,
        };
        foreach (var voice in openAiApi ? Voices : [options.Voice])
        {
            declared.Voices.Add(voice);
        }

        foreach (var format in Enum.GetValues<AudioFormat>())
        {
            declared.Formats.Add(format);
        }

        return declared;
    }
}
