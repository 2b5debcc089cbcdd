using System.ComponentModel.DataAnnotations;

namespace BookBytes.Pipeline;

/// <summary>Text-to-speech call limits and chunking (<c>BookBytes:Tts</c>), shared by all jobs of a node.</summary>
public sealed class TtsOptions
{
    /// <summary>Gets or sets how many speech calls may be in flight at once on this node (<c>BookBytes:Tts:MaxConcurrency</c>, default 8).</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Gets or sets how many speech calls may start per minute on this node; 0 for no limit (<c>BookBytes:Tts:RequestsPerMinute</c>).</summary>
    [Range(0, 1_000_000)]
    public int RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the longest text sent in one speech call (<c>BookBytes:Tts:ChunkCharacters</c>, default 1500); never above the provider's own limit.</summary>
    [Range(100, 100_000)]
    public int ChunkCharacters { get; set; } = 1500;
}
