using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Ollama;

/// <summary>Checks <see cref="OllamaOptions"/> at start-up; every message names the configuration key to fix.</summary>
internal sealed class OllamaOptionsValidator : IValidateOptions<OllamaOptions>
{
    internal const int MaxRetriesLimit = 10;

    private const string Prefix = OllamaOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, OllamaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint
            || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Prefix}Endpoint must be an absolute http or https URL such as {OllamaOptions.DefaultEndpoint}; it is '{options.Endpoint}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add($"{Prefix}Model must not be empty; name a model pulled on the server, for example llama3.2.");
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

        if (options.MaxOutputTokens is <= 0)
        {
            failures.Add($"{Prefix}MaxOutputTokens must be positive when set; it is {options.MaxOutputTokens}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
