using System.ComponentModel.DataAnnotations;

namespace BookBytes.WebHost.Composition;

/// <summary>A fixed-window limit for the POST endpoints, bound from <c>BookBytes:Host:RateLimit</c>.</summary>
internal sealed class RateLimitSettings
{
    /// <summary>Requests allowed per window and client; 0 turns the limit off.</summary>
    [Range(0, 1_000_000)]
    public int PermitLimit { get; set; } = 30;

    /// <summary>The window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
