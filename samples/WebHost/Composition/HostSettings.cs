using System.ComponentModel.DataAnnotations;

namespace BookBytes.WebHost.Composition;

/// <summary>Settings of the host itself, bound from <c>BookBytes:Host</c>.</summary>
internal sealed class HostSettings
{
    public const string SectionName = "BookBytes:Host";

    /// <summary>API keys accepted in <c>X-Api-Key</c> on <c>/api/*</c>; empty leaves the API open.</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>
    /// The secret podcast-feed tokens are signed with (an HMAC per audiobook, never stored): with API keys on, the feed, audio,
    /// transcript and cover URLs of an audiobook work with <c>?token=</c> instead of the header. Rotating it revokes every token.
    /// Unset, those URLs need the header too. Use 32 or more random characters.
    /// </summary>
    [MinLength(16)]
    public string? FeedSecret { get; set; }

    /// <summary>The largest request body accepted on <c>/api/*</c>, in bytes.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How often the job event stream looks for changes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan EventsPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The rate limit of the POST endpoints, per API key (or client address when keys are off).</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public RateLimitSettings RateLimit { get; set; } = new();

    /// <summary>The Prometheus scrape endpoint and the queue gauges.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public MetricsSettings Metrics { get; set; } = new();
}
