namespace BookBytes.Providers.OpenAI.Speech;

/// <summary>What OpenAI speech models accept.</summary>
internal static class SpeechModels
{
    /// <summary>The longest input one call of <c>/audio/speech</c> accepts.</summary>
    public const int MaxInputCharacters = 4096;

    public const float MinSpeed = 0.25f;

    public const float MaxSpeed = 4.0f;

    /// <summary>
    /// Tells whether the model takes <c>instructions</c>: the <c>gpt-4o*-tts</c> family does
    /// (<c>gpt-4o-mini-tts</c>, dated snapshots); <c>tts-1</c>, <c>tts-1-hd</c> and unknown models of
    /// compatible servers do not, and some reject requests carrying it.
    /// </summary>
    public static bool AcceptsInstructions(string model)
        => model.StartsWith("gpt-4o", StringComparison.OrdinalIgnoreCase)
            && model.Contains("tts", StringComparison.OrdinalIgnoreCase);
}
