namespace BookBytes.Providers.Local.Speech;

/// <summary>A voice of one of the machine's speech engines, as <see cref="LocalSpeechEngines.Discover"/> found it.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Id">The voice's id, <c>{engine}.{voice}</c>, for example <c>espeak-ng.de</c> or <c>flite.slt</c>.</param>
/// <param name="Engine">The engine: <c>espeak-ng</c>, <c>flite</c> or <c>festival</c>.</param>
/// <param name="Language">The BCP 47 tag of the language the voice speaks, for example <c>de</c> or <c>en-US</c>.</param>
/// <param name="Name">A readable name, for example <c>German</c> or <c>SLT (US English, female)</c>.</param>
public sealed record LocalVoice(string Id, string Engine, string Language, string Name);
