using BookBytes.Internal;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Local.Speech;

/// <summary>
/// Fails the host's start while the local speech provider is in use and no engine was found, or the configured voice
/// was not; the message names the Debian packages to install.
/// </summary>
internal sealed class LocalSpeechEnginesValidator(LocalSpeechDiscovery discovery, IServiceProvider services) : IValidateOptions<LocalSpeechOptions>
{
    private const string Prefix = LocalSpeechOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, LocalSpeechOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!AdapterOptions.InUse<LocalSpeechOptions>(services))
        {
            return ValidateOptionsResult.Skip;
        }

        var engines = discovery.Get(options);
        if (engines.Voices.Count == 0)
        {
            return ValidateOptionsResult.Fail(
                "No local speech engine was found. Install eSpeak NG (Debian package espeak-ng: apt-get install espeak-ng), "
                + $"or set {Prefix}EspeakNgPath, {Prefix}FlitePath or {Prefix}Text2WavePath. Missing: {string.Join("; ", engines.Missing)}.");
        }

        if (!string.IsNullOrWhiteSpace(options.Voice) && !engines.Voices.Any(v => v.Id.Equals(options.Voice.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return ValidateOptionsResult.Fail(
                $"{Prefix}Voice '{options.Voice}' was not found on this machine. Voices: {string.Join(", ", engines.Voices.Select(v => v.Id))}.");
        }

        return ValidateOptionsResult.Success;
    }
}
