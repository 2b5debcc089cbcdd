using BookBytes.Tts;

namespace BookBytes.WebHost.Api;

/// <summary><c>GET /api/v1/voices</c>: what a request's <c>voice</c> may name on this node.</summary>
internal static class VoicesEndpoints
{
    public static RouteGroupBuilder MapVoices(this RouteGroupBuilder api)
    {
        api.MapGetAndHead("/voices", Get)
            .WithTags("Books")
            .WithName("ListVoices")
            .WithSummary("The voices of this node's text-to-speech provider.")
            .WithDescription("A request without a voice gets the provider's voice for the book's language (local engines have one per language), else the default voice.")
            .Produces<VoicesResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    internal static VoicesResponse Get(IServiceProvider services)
    {
        var tts = services.GetService<ITtsProvider>()
            ?? throw new ProviderNotConfiguredException("No text-to-speech provider (ITtsProvider) is configured on this node.");
        var capabilities = tts.Capabilities;
        return new VoicesResponse(tts.ModelId, capabilities.DefaultVoice ?? (capabilities.Voices.Count > 0 ? capabilities.Voices[0] : null), capabilities.Voices, capabilities.AcceptsOtherVoices);
    }
}
