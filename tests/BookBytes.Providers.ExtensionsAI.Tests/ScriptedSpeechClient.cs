using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using BookBytes.Testing.Fakes;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.ExtensionsAI.Tests;

/// <summary>An application's own <see cref="ITextToSpeechClient"/> that speaks at the fakes' pace, or as <see cref="Respond"/> says.</summary>
internal sealed class ScriptedSpeechClient : ITextToSpeechClient
{
    public ConcurrentQueue<(string Text, TextToSpeechOptions? Options)> Calls { get; } = new();

    public Func<string, TextToSpeechOptions?, CancellationToken, Task<TextToSpeechResponse>>? Respond { get; set; }

    public Task<TextToSpeechResponse> GetAudioAsync(string text, TextToSpeechOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue((text, options));
        return Respond is { } respond
            ? respond(text, options, cancellationToken)
            : Task.FromResult(new TextToSpeechResponse([new DataContent(FakeTtsProvider.AudioFor(text), "audio/mpeg")]));
    }

    public async IAsyncEnumerable<TextToSpeechResponseUpdate> GetStreamingAudioAsync(
        string text, TextToSpeechOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetAudioAsync(text, options, cancellationToken);
        foreach (var update in response.ToTextToSpeechResponseUpdates())
        {
            yield return update;
        }
    }

    /// <summary>Gets or sets what the client says of itself; none by default.</summary>
    public TextToSpeechClientMetadata? Metadata { get; set; }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(TextToSpeechClientMetadata) ? Metadata : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
