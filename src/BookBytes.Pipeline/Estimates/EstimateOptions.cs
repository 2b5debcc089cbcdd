using System.ComponentModel.DataAnnotations;

namespace BookBytes.Pipeline.Estimates;

/// <summary>
/// The latency model and assumptions of estimates (<c>BookBytes:Estimate</c>). Defaults are typical of hosted models
/// (an OpenAI small chat model and speech model, measured from a European network); set them from your own job's
/// recorded times to make estimates yours.
/// </summary>
public sealed class EstimateOptions
{
    /// <summary>Gets or sets the seconds a language-model call takes before its first output token (<c>BookBytes:Estimate:LlmSecondsPerCall</c>, default 1).</summary>
    [Range(0.0, 600.0)]
    public double LlmSecondsPerCall { get; set; } = 1;

    /// <summary>Gets or sets the output tokens a language-model call writes per second (<c>BookBytes:Estimate:LlmOutputTokensPerSecond</c>, default 60).</summary>
    [Range(0.1, 100_000.0)]
    public double LlmOutputTokensPerSecond { get; set; } = 60;

    /// <summary>Gets or sets the seconds a speech call takes before audio comes back (<c>BookBytes:Estimate:TtsSecondsPerCall</c>, default 0.5).</summary>
    [Range(0.0, 600.0)]
    public double TtsSecondsPerCall { get; set; } = 0.5;

    /// <summary>Gets or sets the characters a speech call speaks per second of its own time (<c>BookBytes:Estimate:TtsCharactersPerSecond</c>, default 150).</summary>
    [Range(0.1, 1_000_000.0)]
    public double TtsCharactersPerSecond { get; set; } = 150;

    /// <summary>Gets or sets the chapter count assumed for an edition whose chapters only the language model's outline will tell (<c>BookBytes:Estimate:AssumedChapters</c>, default 12).</summary>
    [Range(1, 2000)]
    public int AssumedChapters { get; set; } = 12;

    /// <summary>Gets or sets the characters per word of a summary, to turn its words into speech characters (<c>BookBytes:Estimate:CharactersPerWord</c>, default 6: English prose with spaces and punctuation).</summary>
    [Range(1.0, 50.0)]
    public double CharactersPerWord { get; set; } = 6;
}
