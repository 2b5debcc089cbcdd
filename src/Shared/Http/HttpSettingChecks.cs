namespace BookBytes.Internal.Http;

/// <summary>
/// The checks every HTTP adapter's options validator makes, with the same messages: each names the key to fix
/// (<c>{prefix}{key}</c>) and the value found.
/// </summary>
/// <remarks>Compiled into each HTTP adapter package (adapters do not depend on each other).</remarks>
internal static class HttpSettingChecks
{
    /// <summary>The most HTTP retries an adapter takes.</summary>
    public const int MaxRetriesLimit = 10;

    /// <summary>An absolute http or https URL; <see langword="null"/> passes unless <paramref name="required"/>.</summary>
    public static void HttpUrl(List<string> failures, string key, Uri? value, string example, bool required = false)
    {
        if (value is null ? required : !value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttp && value.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{key} must be an absolute http or https URL such as {example}; it is '{value}'.");
        }
    }

    /// <summary>A time-out above zero and at most an hour.</summary>
    public static void Timeout(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
        {
            failures.Add($"{key} must be greater than 00:00:00 and at most 01:00:00; it is {value}.");
        }
    }

    /// <summary><c>{prefix}MaxRetries</c> within 0–<see cref="MaxRetriesLimit"/> and <c>{prefix}RetryBaseDelay</c> within 0–5 minutes.</summary>
    public static void Retries(List<string> failures, string prefix, int maxRetries, TimeSpan retryBaseDelay)
    {
        if (maxRetries is < 0 or > MaxRetriesLimit)
        {
            failures.Add($"{prefix}MaxRetries must be between 0 and {MaxRetriesLimit}; it is {maxRetries}.");
        }

        if (retryBaseDelay < TimeSpan.Zero || retryBaseDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{prefix}RetryBaseDelay must be between 00:00:00 and 00:05:00; it is {retryBaseDelay}.");
        }
    }
}
