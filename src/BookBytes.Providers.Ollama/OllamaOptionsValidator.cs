using BookBytes.Internal.Http;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Ollama;

/// <summary>Checks <see cref="OllamaOptions"/> at start-up; every message names the configuration key to fix.</summary>
internal sealed class OllamaOptionsValidator : IValidateOptions<OllamaOptions>
{
    private const string Prefix = OllamaOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, OllamaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        HttpSettingChecks.HttpUrl(failures, Prefix + "Endpoint", options.Endpoint, OllamaOptions.DefaultEndpoint.ToString(), required: true);

        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add($"{Prefix}Model must not be empty; name a model pulled on the server, for example llama3.2.");
        }

        HttpSettingChecks.Timeout(failures, Prefix + "Timeout", options.Timeout);
        HttpSettingChecks.Retries(failures, Prefix, options.MaxRetries, options.RetryBaseDelay);

        if (options.MaxOutputTokens is <= 0)
        {
            failures.Add($"{Prefix}MaxOutputTokens must be positive when set; it is {options.MaxOutputTokens}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
