using BookBytes.Internal.Http;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.OpenAI;

/// <summary>
/// Checks <see cref="OpenAiOptions"/> at start-up; every message names the configuration key to fix. What
/// depends on which OpenAI provider is in use (the key, the voice) is <see cref="OpenAiSlotValidator"/>'s.
/// </summary>
internal sealed class OpenAiOptionsValidator : IValidateOptions<OpenAiOptions>
{
    private const string Prefix = OpenAiOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, OpenAiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        HttpSettingChecks.HttpUrl(failures, Prefix + "Endpoint", options.Endpoint, "http://localhost:11434/v1");
        HttpSettingChecks.HttpUrl(failures, Prefix + "SpeechEndpoint", options.SpeechEndpoint, "http://localhost:11434/v1");

        RequireText(failures, options.ChatModel, "ChatModel");
        RequireText(failures, options.SpeechModel, "SpeechModel");
        RequireText(failures, options.Voice, "Voice");
        if (!Enum.IsDefined(options.AudioFormat))
        {
            failures.Add($"{Prefix}AudioFormat must be one of mp3, opus, aac, flac, wav or pcm.");
        }

        HttpSettingChecks.Timeout(failures, Prefix + "ChatTimeout", options.ChatTimeout);
        HttpSettingChecks.Timeout(failures, Prefix + "SpeechTimeout", options.SpeechTimeout);
        HttpSettingChecks.Retries(failures, Prefix, options.MaxRetries, options.RetryBaseDelay);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireText(List<string> failures, string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{Prefix}{key} must not be empty.");
        }
    }
}
