using System.ComponentModel.DataAnnotations;

namespace BookBytes.Pipeline;

/// <summary>Summary settings (<c>BookBytes:Summary</c>).</summary>
public sealed class SummaryOptions
{
    /// <summary>Gets or sets the target words per chapter summary (<c>BookBytes:Summary:Words</c>, default 500). Summaries outside 50%–200% of it are asked for again.</summary>
    [Range(50, 5000)]
    public int Words { get; set; } = 500;
}
