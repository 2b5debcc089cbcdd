namespace BookBytes.WebHost.Api;

/// <summary>The voices this node's text-to-speech provider has (<c>GET /api/v1/voices</c>).</summary>
/// <param name="Model">The speech model's name, when the provider says.</param>
/// <param name="DefaultVoice">The voice used when a request names none and the book's language picks none.</param>
/// <param name="Voices">The voices the provider lists; local voices are named <c>{engine}.{voice}</c> (<c>espeak-ng.de</c>, <c>flite.slt</c>).</param>
/// <param name="AcceptsOtherVoices">Whether names outside <paramref name="Voices"/> are passed to the provider too (400 <c>VOICE_UNKNOWN</c> otherwise).</param>
internal sealed record VoicesResponse(string? Model, string? DefaultVoice, IReadOnlyList<string> Voices, bool AcceptsOtherVoices);
