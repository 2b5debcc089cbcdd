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

    /// <summary>
    /// Gets or sets how many times one chunk's speech call is retried where it failed, when the failure is transient
    /// (HTTP 429 or 5xx, a time-out, an open circuit, audio too short for its text) (<c>BookBytes:Tts:CallRetries</c>,
    /// default 6), waiting <c>Jobs:StepRetryDelay</c> doubled per retry and at least the provider's <c>Retry-After</c>
    /// (at most 30 s a wait). Chunks already spoken are kept, so a retried chapter buys only what it lacks.
    /// </summary>
    [Range(0, 100)]
    public int CallRetries { get; set; } = 6;

    /// <summary>
    /// Gets or sets the fastest speech accepted, in characters of text per second of audio at speed 1
    /// (<c>BookBytes:Tts:MaxCharactersPerSecond</c>, default 25; ordinary speech is 12–18). A speech answer shorter than
    /// its text allows — cut off, or half its frames lost — is a transient failure of that chunk and is asked for again.
    /// </summary>
    [Range(1.0, 1000.0)]
    public double MaxCharactersPerSecond { get; set; } = 25;

    /// <summary>
    /// Gets or sets the slowest speech accepted, in characters per second at speed 1 (<c>BookBytes:Tts:MinCharactersPerSecond</c>,
    /// default 2), with a second of slack for leading and trailing silence. Longer audio is refused as not this text's.
    /// </summary>
    [Range(0.01, 1000.0)]
    public double MinCharactersPerSecond { get; set; } = 2;
}
