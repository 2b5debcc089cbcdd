using System.Net.Http.Headers;
using BookBytes.Internal.Http;
using Microsoft.Extensions.Options;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Validates <see cref="OpenLibraryOptions"/>; every message names the configuration key.</summary>
internal sealed class OpenLibraryOptionsValidator : IValidateOptions<OpenLibraryOptions>
{
    private const string Prefix = OpenLibraryOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, OpenLibraryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        HttpSettingChecks.HttpUrl(failures, Prefix + nameof(OpenLibraryOptions.BaseUrl), options.BaseUrl, "https://openlibrary.org", required: true);
        HttpSettingChecks.HttpUrl(failures, Prefix + nameof(OpenLibraryOptions.CoversBaseUrl), options.CoversBaseUrl, "https://covers.openlibrary.org", required: true);

        if (string.IsNullOrWhiteSpace(options.UserAgent))
        {
            failures.Add($"{Prefix}{nameof(OpenLibraryOptions.UserAgent)} is required: Open Library asks every application to identify itself.");
        }
        else if (!IsValidUserAgent(options.EffectiveUserAgent))
        {
            failures.Add($"{Prefix}{nameof(OpenLibraryOptions.UserAgent)} and {Prefix}{nameof(OpenLibraryOptions.Contact)} must form a valid User-Agent header (product/version (comment)); found '{options.EffectiveUserAgent}'.");
        }

        NotNegative(failures, nameof(OpenLibraryOptions.CacheDuration), options.CacheDuration);
        NotNegative(failures, nameof(OpenLibraryOptions.NegativeCacheDuration), options.NegativeCacheDuration);
        InRange(failures, nameof(OpenLibraryOptions.Timeout), options.Timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        InRange(failures, nameof(OpenLibraryOptions.TotalTimeout), options.TotalTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        if (options.TotalTimeout < options.Timeout)
        {
            failures.Add($"{Prefix}{nameof(OpenLibraryOptions.TotalTimeout)} ({options.TotalTimeout}) must be at least {Prefix}{nameof(OpenLibraryOptions.Timeout)} ({options.Timeout}).");
        }

        InRange(failures, nameof(OpenLibraryOptions.RetryDelay), options.RetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add($"{Prefix}{nameof(OpenLibraryOptions.MaxRetryAttempts)} must be between 0 and 10; found {options.MaxRetryAttempts}.");
        }

        if (options.MaxSubjects is < 0 or > 100)
        {
            failures.Add($"{Prefix}{nameof(OpenLibraryOptions.MaxSubjects)} must be between 0 and 100; found {options.MaxSubjects}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsValidUserAgent(string value)
    {
        using var request = new HttpRequestMessage();
        return value.AsSpan().IndexOfAny('\r', '\n') < 0 && request.Headers.UserAgent.TryParseAdd(value) && request.Headers.UserAgent.Count > 0 && request.Headers.UserAgent.First() is ProductInfoHeaderValue { Product: not null };
    }

    private static void NotNegative(List<string> failures, string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{key} must not be negative; found {value}.");
        }
    }

    private static void InRange(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{Prefix}{key} must be between {min} and {max}; found {value}.");
        }
    }
}
