using Microsoft.Extensions.Options;

namespace BookBytes.Pipeline.Throttling;

/// <summary>The node's LLM and TTS throttles, one of each for all jobs.</summary>
internal sealed class ProviderThrottles(IOptions<BookBytesOptions> options, TimeProvider timeProvider) : IDisposable
{
    public ProviderThrottle Llm { get; } = new(options.Value.Llm.MaxConcurrency, options.Value.Llm.RequestsPerMinute, timeProvider);

    public ProviderThrottle Tts { get; } = new(options.Value.Tts.MaxConcurrency, options.Value.Tts.RequestsPerMinute, timeProvider);

    public void Dispose()
    {
        Llm.Dispose();
        Tts.Dispose();
    }
}
