using System.ComponentModel.DataAnnotations;

namespace BookBytes.Pipeline;

/// <summary>Language-model call limits (<c>BookBytes:Llm</c>), shared by all jobs of a node.</summary>
public sealed class LlmOptions
{
    /// <summary>Gets or sets how many language-model calls may be in flight at once on this node (<c>BookBytes:Llm:MaxConcurrency</c>, default 4).</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets how many language-model calls may start per minute on this node; 0 for no limit (<c>BookBytes:Llm:RequestsPerMinute</c>).</summary>
    [Range(0, 1_000_000)]
    public int RequestsPerMinute { get; set; }

    /// <summary>
    /// Gets or sets how many times one outline or summary is asked for within a job attempt when the answer is unusable
    /// (off-target length, not plain prose, malformed) (<c>BookBytes:Llm:MaxAnswerTries</c>, default 3). Separate from
    /// <c>Jobs:MaxAttempts</c>: the job's retries come on top only when every try was refused.
    /// </summary>
    [Range(1, 10)]
    public int MaxAnswerTries { get; set; } = 3;

    /// <summary>
    /// Gets or sets how many times one outline or summary call is retried where it failed, when the failure is
    /// transient (HTTP 429 or 5xx, a time-out, an open circuit) (<c>BookBytes:Llm:CallRetries</c>, default 6), waiting
    /// <c>Jobs:StepRetryDelay</c> doubled per retry and at least the provider's <c>Retry-After</c> (at most 30 s a wait).
    /// Only when the budget is spent does the chapter fail (and the job's own retry come later).
    /// </summary>
    [Range(0, 100)]
    public int CallRetries { get; set; } = 6;

    /// <summary>
    /// Gets or sets the most tokens one grounded summary call may read (<c>BookBytes:Llm:MaxInputTokens</c>, default 100,000):
    /// a chapter whose text is longer is summarised in parts cut at paragraph ends and the part summaries combined. Counted with
    /// the provider's tokenizer when it has one (OpenAI), else estimated. Set it below the model's context window.
    /// </summary>
    [Range(2_000, 10_000_000)]
    public int MaxInputTokens { get; set; } = 100_000;

    /// <summary>
    /// Gets or sets whether chapter summaries are streamed (<c>BookBytes:Llm:StreamSummaries</c>, default <see langword="true"/>):
    /// complete sentences are spoken while the model writes the rest, and the whole summary is still checked at its end (a refused
    /// one discards that chapter's audio and is asked again). Off, each summary is spoken once it is whole. Providers that cannot
    /// stream give the whole summary at once either way.
    /// </summary>
    public bool StreamSummaries { get; set; } = true;
}
