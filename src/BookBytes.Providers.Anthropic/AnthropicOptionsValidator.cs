using BookBytes.Internal.Http;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Anthropic;

/// <summary>Checks <see cref="AnthropicOptions"/> at start-up; every message names the configuration key to fix.</summary>
internal sealed class AnthropicOptionsValidator : IValidateOptions<AnthropicOptions>
{
    private const string Prefix = AnthropicOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, AnthropicOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        HttpSettingChecks.HttpUrl(failures, Prefix + "Endpoint", options.Endpoint, AnthropicOptions.DefaultEndpoint.ToString(), required: true);

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

        HttpSettingChecks.Timeout(failures, Prefix + "Timeout", options.Timeout);
        HttpSettingChecks.Retries(failures, Prefix, options.MaxRetries, options.RetryBaseDelay);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
