using System.ClientModel.Primitives;

namespace BookBytes.Providers.OpenAI;

/// <summary>
/// Removes the <c>Authorization</c> header before a request is sent, for OpenAI-compatible servers
/// configured without a key (the SDK always authenticates, so it is given a placeholder key).
/// </summary>
internal sealed class RemoveAuthorizationPolicy : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Request.Headers.Remove("Authorization");
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Request.Headers.Remove("Authorization");
        return ProcessNextAsync(message, pipeline, currentIndex);
    }
}
