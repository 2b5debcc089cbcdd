using BookBytes.Llm;

namespace BookBytes;

/// <summary>What provider calls used: language-model tokens and characters sent to text-to-speech.</summary>
/// <param name="Llm">Language-model tokens.</param>
/// <param name="TtsCharacters">Characters synthesized.</param>
public readonly record struct UsageTotals(LlmUsage Llm, long TtsCharacters)
{
    /// <summary>Gets no usage.</summary>
    public static UsageTotals Zero => default;

    /// <summary>Adds two usages.</summary>
    /// <param name="left">The first usage.</param>
    /// <param name="right">The second usage.</param>
    /// <returns>The sum.</returns>
    public static UsageTotals operator +(UsageTotals left, UsageTotals right)
        => new(left.Llm + right.Llm, left.TtsCharacters + right.TtsCharacters);

    /// <summary>Adds two usages.</summary>
    /// <param name="other">The usage to add.</param>
    /// <returns>The sum.</returns>
    public UsageTotals Add(UsageTotals other) => this + other;
}
