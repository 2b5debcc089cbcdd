namespace BookBytes.Pipeline;

/// <summary>
/// Settings of the BookBytes pipeline, bound from the <c>BookBytes</c> configuration section.
/// Defaults are those of the documented configuration keys.
/// </summary>
/// <remarks>Validated at start-up: a bad value fails the host with a message naming the key.</remarks>
public sealed class BookBytesOptions
{
    /// <summary>The configuration section the options bind to.</summary>
    public const string SectionName = "BookBytes";

    /// <summary>Gets the job runner settings (<c>BookBytes:Jobs</c>).</summary>
    public JobsOptions Jobs { get; init; } = new();

    /// <summary>Gets the language-model call limits (<c>BookBytes:Llm</c>).</summary>
    public LlmOptions Llm { get; init; } = new();

    /// <summary>Gets the text-to-speech call limits and chunking (<c>BookBytes:Tts</c>).</summary>
    public TtsOptions Tts { get; init; } = new();

    /// <summary>Gets the summary settings (<c>BookBytes:Summary</c>).</summary>
    public SummaryOptions Summary { get; init; } = new();

    /// <summary>Gets the latency model and assumptions of estimates (<c>BookBytes:Estimate</c>).</summary>
    public Estimates.EstimateOptions Estimate { get; init; } = new();

    /// <summary>Gets the price table of estimates (<c>BookBytes:Pricing</c>).</summary>
    public Estimates.PricingOptions Pricing { get; init; } = new();

    /// <summary>Gets the worker settings (<c>BookBytes:Worker</c>).</summary>
    public WorkerOptions Worker { get; init; } = new();
}
