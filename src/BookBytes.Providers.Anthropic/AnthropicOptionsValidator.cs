using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Anthropic;

/// <summary>Checks <see cref="AnthropicOptions"/> at start-up; every message names the configuration key to fix.</summary>
internal sealed class AnthropicOptionsValidator : IValidateOptions<AnthropicOptions>
{
    internal const int MaxRetriesLimit = 10;

    private const string Prefix = AnthropicOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, AnthropicOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.Endpoint is null
            || !options.Endpoint.IsAbsoluteUri
            || (options.Endpoint.Scheme != Uri.UriSchemeHttp && options.Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Prefix}Endpoint must be an absolute http or https URL such as {AnthropicOptions.DefaultEndpoint}; it is '{options.Endpoint}'.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey) && AnthropicOptions.IsAnthropicApi(options.Endpoint))
        {
            failures.Add(
                $"{Prefix}ApiKey is required for the Anthropic API ({options.Endpoint}). "
                + $"Set {Prefix}ApiKey (environment: BookBytes__Anthropic__ApiKey), or set {Prefix}Endpoint to a server that needs no key.");
        }

        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add($"{Prefix}Model must not be empty; for example claude-sonnet-4-5.");
        }

        if (options.MaxOutputTokens is < 1 or > 128_000)
        {
            failures.Add($"{Prefix}MaxOutputTokens must be between 1 and 128000; it is {options.MaxOutputTokens}.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{Prefix}Timeout must be greater than 00:00:00 and at most 01:00:00; it is {options.Timeout}.");
        }

        if (options.MaxRetries is < 0 or > MaxRetriesLimit)
        {
            failures.Add($"{Prefix}MaxRetries must be between 0 and {MaxRetriesLimit}; it is {options.MaxRetries}.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Prefix}RetryBaseDelay must be between 00:00:00 and 00:05:00; it is {options.RetryBaseDelay}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
