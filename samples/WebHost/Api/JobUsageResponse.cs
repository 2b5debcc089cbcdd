namespace BookBytes.WebHost.Api;

/// <summary>What a job's provider calls used so far: language-model tokens in and out, and characters spoken.</summary>
/// <param name="InputTokens">Language-model input tokens.</param>
/// <param name="OutputTokens">Language-model output tokens.</param>
/// <param name="TtsCharacters">Characters sent to the text-to-speech provider.</param>
internal sealed record JobUsageResponse(long InputTokens, long OutputTokens, long TtsCharacters)
{
    public static JobUsageResponse From(UsageTotals usage) => new(usage.Llm.InputTokens, usage.Llm.OutputTokens, usage.TtsCharacters);
}
