using System.ComponentModel.DataAnnotations;

namespace BookBytes.Pipeline;

/// <summary>Language-model call limits (<c>BookBytes:Llm</c>), shared by all jobs of a node.</summary>
public sealed class LlmOptions
{
    /// <summary>Gets or sets the provider the host selects (<c>BookBytes:Llm:Provider</c>, default <c>OpenAI</c>).</summary>
    public string Provider { get; set; } = "OpenAI";

    /// <summary>Gets or sets how many language-model calls may be in flight at once on this node (<c>BookBytes:Llm:MaxConcurrency</c>, default 4).</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets how many language-model calls may start per minute on this node; 0 for no limit (<c>BookBytes:Llm:RequestsPerMinute</c>).</summary>
    [Range(0, 1_000_000)]
    public int RequestsPerMinute { get; set; }
}
