using BookBytes.Tts;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Proves a voice the provider does not list before any summary is bought: providers that pass other voice
/// names through (compatible servers with voices of their own) can only say at a speech call whether they
/// have it, so the attempt's first speech call is a short one, made here. A voice the provider refuses (HTTP
/// 400 or 422) fails the job with <see cref="ErrorCodes.VoiceUnknown"/>; any other permanent failure fails it
/// with its own error, as early; a listed voice costs nothing.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="calls">Retries a transient failure of the call.</param>
internal sealed class VoiceCheck(PipelineServices services, CallRetry calls)
{
    /// <summary>The longest text the check speaks.</summary>
    internal const int MaxCharacters = 80;

    /// <summary>Speaks the book's title with the run's voice, unless the provider lists the voice.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="cancellationToken">A token that cancels the check.</param>
    /// <exception cref="VoiceUnknownException">The provider refused the call as a bad request (HTTP 400 or 422).</exception>
    /// <exception cref="ProviderException">The call failed after its retries, or the provider's configuration is wrong.</exception>
    public async Task EnsureAsync(BookRunContext run, CancellationToken cancellationToken)
    {
        var capabilities = run.Tts.Capabilities;
        if (capabilities.Voices.Contains(run.Voice, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        var text = Text(run.Book.Title);
        try
        {
            await calls.RunAsync(services.Throttles.Tts, "Voice check", async c =>
            {
                var audio = await run.Unless(() => run.Tts.SynthesizeAsync(new SpeechRequest(text, run.Voice, run.Format), c)).ConfigureAwait(false);
                run.Progress.SpendCharacters(text.Length);
                return audio;
            }, run.Progress.WaitingAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex) when (ex is { IsTransient: false, StatusCode: 400 or 422 } and not ProviderConfigurationException)
        {
            // A refused request is the voice's doing here: the text is the title and the settings proved good for
            // listed voices. Other permanent failures (a wrong model or endpoint) pass on as they are; they fail
            // the job as early.
            throw new VoiceUnknownException(run.Voice, capabilities.Voices, $"the provider refused a first speech call with it, before any summary was bought ({ex.Message}).", ex);
        }
    }

    /// <summary>What the check speaks: the title, cut at a word to <see cref="MaxCharacters"/>.</summary>
    internal static string Text(string title)
    {
        var text = string.IsNullOrWhiteSpace(title) ? "BookBytes" : title.Trim();
        if (text.Length > MaxCharacters)
        {
            var cut = text.LastIndexOf(' ', MaxCharacters);
            text = text[..(cut > 0 ? cut : MaxCharacters)];
        }

        return text;
    }
}
