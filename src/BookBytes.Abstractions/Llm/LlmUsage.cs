namespace BookBytes.Llm;

/// <summary>Tokens used by language-model calls.</summary>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
public readonly record struct LlmUsage(long InputTokens, long OutputTokens)
{
    /// <summary>Gets no usage.</summary>
    public static LlmUsage Zero => default;

    /// <summary>Gets the sum of input and output tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Adds two usages.</summary>
    /// <param name="left">The first usage.</param>
    /// <param name="right">The second usage.</param>
    /// <returns>The sum.</returns>
    public static LlmUsage operator +(LlmUsage left, LlmUsage right)
        => new(left.InputTokens + right.InputTokens, left.OutputTokens + right.OutputTokens);

    /// <summary>Adds two usages.</summary>
    /// <param name="other">The usage to add.</param>
    /// <returns>The sum.</returns>
    public LlmUsage Add(LlmUsage other) => this + other;
}
