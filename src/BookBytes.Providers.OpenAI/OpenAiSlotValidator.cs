using BookBytes.Internal;
using BookBytes.Llm;
using BookBytes.Providers.OpenAI.Chat;
using BookBytes.Providers.OpenAI.Speech;
using BookBytes.Tts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.OpenAI;

/// <summary>
/// Checks at start-up what matters only for the OpenAI providers that hold their slot: an API key when one of
/// them calls the OpenAI API itself, and a configured voice the OpenAI API has. So OpenAI speech from a
/// compatible server (<c>SpeechEndpoint</c>) beside another package's language model needs no key.
/// </summary>
/// <param name="services">The collection the container was built from: which provider holds a slot is known once every call is made.</param>
internal sealed class OpenAiSlotValidator(IEnumerable<ServiceDescriptor> services) : IValidateOptions<OpenAiOptions>
{
    private const string Prefix = OpenAiOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, OpenAiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chat = ServiceSlot.IsHeldBy<ILlmProvider, OpenAiLlmProvider>(services);
        var speech = ServiceSlot.IsHeldBy<ITtsProvider, OpenAiTtsProvider>(services);
        if (!chat && !speech)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey)
            && ((chat && OpenAiOptions.IsOpenAiApi(options.EffectiveEndpoint)) || (speech && OpenAiOptions.IsOpenAiApi(options.EffectiveSpeechEndpoint))))
        {
            failures.Add(
                $"{Prefix}ApiKey is required for the OpenAI API ({OpenAiOptions.DefaultEndpoint}). "
                + $"Set {Prefix}ApiKey (environment: BookBytes__OpenAI__ApiKey), or set {Prefix}Endpoint to an OpenAI-compatible server that needs no key.");
        }

        if (speech
            && !string.IsNullOrWhiteSpace(options.Voice)
            && OpenAiOptions.IsOpenAiApi(options.EffectiveSpeechEndpoint)
            && !SpeechModels.Voices.Contains(options.Voice.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{Prefix}Voice '{options.Voice}' is not a voice of the OpenAI API; use one of {string.Join(", ", SpeechModels.Voices)}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
