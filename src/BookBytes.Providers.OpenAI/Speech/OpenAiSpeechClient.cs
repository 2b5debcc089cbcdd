// ITextToSpeechClient and its types are experimental in Microsoft.Extensions.AI 10 (MEAI001); this file builds on them deliberately.
#pragma warning disable MEAI001
using BookBytes.Providers.ExtensionsAI.Speech;
using Microsoft.Extensions.AI;
using OpenAI.Audio;

namespace BookBytes.Providers.OpenAI.Speech;

/// <summary>
/// The OpenAI SDK's <see cref="ITextToSpeechClient"/> (<c>AudioClient.AsITextToSpeechClient()</c>) with what
/// the abstraction cannot say added, and failures translated: style instructions (the additional property
/// <see cref="SpeechClientTtsProvider.InstructionsKey"/>) go out as <c>instructions</c> only to models that
/// take them (<see cref="SpeechModels.AcceptsInstructions"/>); SDK and HTTP failures become
/// <see cref="ProviderException"/>s naming the endpoint and the setting to fix.
/// </summary>
/// <param name="inner">The SDK's client.</param>
/// <param name="model">The speech model the client was created for.</param>
/// <param name="endpoint">The endpoint it calls, named in messages.</param>
/// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against.</param>
internal sealed class OpenAiSpeechClient(ITextToSpeechClient inner, string model, Uri endpoint, TimeProvider timeProvider) : DelegatingTextToSpeechClient(inner)
{
    private const string ModelKey = OpenAiOptions.SectionName + ":SpeechModel";
    private const string Operation = "Speech synthesis";

    public override async Task<TextToSpeechResponse> GetAudioAsync(string text, TextToSpeechOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetAudioAsync(text, WithInstructions(options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (OpenAiErrors.IsCallFailure(ex, cancellationToken))
        {
            throw OpenAiErrors.Map(ex, Operation, endpoint, ModelKey, timeProvider);
        }
    }

    private TextToSpeechOptions? WithInstructions(TextToSpeechOptions? options)
    {
        if (options?.AdditionalProperties?.TryGetValue(SpeechClientTtsProvider.InstructionsKey, out var value) != true
            || value is not string { Length: > 0 } instructions)
        {
            return options;
        }

        var changed = options.Clone();
        changed.AdditionalProperties = new AdditionalPropertiesDictionary(
            options.AdditionalProperties.Where(p => p.Key != SpeechClientTtsProvider.InstructionsKey));
        if (SpeechModels.AcceptsInstructions(model))
        {
            // The SDK adapter fills in the voice, format and speed around what the factory gives.
#pragma warning disable OPENAI001 // Instructions is marked for evaluation in SDK 2.15; the API has taken it since gpt-4o-mini-tts.
            changed.RawRepresentationFactory = _ => new SpeechGenerationOptions { Instructions = instructions };
#pragma warning restore OPENAI001
        }

        return changed;
    }
}
