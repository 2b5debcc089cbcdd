namespace BookBytes.Providers.Local.Speech;

/// <summary>A voice with what its engine needs to speak it.</summary>
/// <param name="Voice">The public description.</param>
/// <param name="EngineName">The engine's own name of the voice (<c>de</c>, <c>slt</c>, <c>cmu_us_slt_arctic_hts</c>).</param>
/// <param name="Priority">eSpeak NG's priority of the voice for its language (lower is better); 5 for other engines.</param>
/// <param name="OtherLanguages">Further languages the voice serves, with eSpeak NG's priority (lower is better).</param>
internal sealed record EngineVoice(LocalVoice Voice, string EngineName, int Priority, IReadOnlyList<(string Language, int Priority)> OtherLanguages)
{
    public string Id => Voice.Id;

    public string Engine => Voice.Engine;
}
