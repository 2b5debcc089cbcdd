using Microsoft.Extensions.Options;

namespace BookBytes.Providers.OpenAI;

/// <summary>
/// Checks <see cref="OpenAiOptions"/> at start-up; every message names the configuration key to fix. What
/// depends on which OpenAI provider is in use (the key, the voice) is <see cref="OpenAiSlotValidator"/>'s.
/// </summary>
internal sealed class OpenAiOptionsValidator : IValidateOptions<OpenAiOptions>
{
    internal const int MaxRetriesLimit = 10;

    private const string Prefix = OpenAiOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, OpenAiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        RequireHttpUrl(failures, options.Endpoint, "Endpoint");
        RequireHttpUrl(failures, options.SpeechEndpoint, "SpeechEndpoint");

        RequireText(failures, options.ChatModel, "ChatModel");
        RequireText(failures, options.SpeechModel, "SpeechModel");
        RequireText(failures, options.Voice, "Voice");
        if (!Enum.IsDefined(options.AudioFormat))
        {
            failures.Add($"{Prefix}AudioFormat must be one of mp3, opus, aac, flac, wav or pcm.");
        }

        RequirePositive(failures, options.ChatTimeout, "ChatTimeout");
        RequirePositive(failures, options.SpeechTimeout, "SpeechTimeout");

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

    private static void RequireHttpUrl(List<string> failures, Uri? value, string key)
    {
        if (value is not null
            && (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttp && value.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{Prefix}{key} must be an absolute http or https URL such as http://localhost:11434/v1; it is '{value}'.");
        }
    }

    private static void RequireText(List<string> failures, string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{Prefix}{key} must not be empty.");
        }
    }

    private static void RequirePositive(List<string> failures, TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
        {
            failures.Add($"{Prefix}{key} must be greater than 00:00:00 and at most 01:00:00; it is {value}.");
        }
    }
}
