using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Local.Speech;

/// <summary>Checks <see cref="LocalSpeechOptions"/>' own values at start-up; every message names the configuration key to fix.</summary>
internal sealed class LocalSpeechOptionsValidator : IValidateOptions<LocalSpeechOptions>
{
    private const string Prefix = LocalSpeechOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, LocalSpeechOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{Prefix}Timeout must be more than zero and at most an hour (for example 00:02:00), not {options.Timeout}.");
        }

        if (options.MaxInputCharacters is < 1 or > 100_000)
        {
            failures.Add($"{Prefix}MaxInputCharacters must be between 1 and 100000, not {options.MaxInputCharacters}.");
        }

        if (options.Mp3Bitrate is < 8 or > 160)
        {
            failures.Add($"{Prefix}Mp3Bitrate must be between 8 and 160 kbit/s (MPEG-2 Layer III at 24 kHz), not {options.Mp3Bitrate}.");
        }

        if (options.Voice is { } voice && !LocalSpeechEngines.IsValidId(voice.Trim()))
        {
            failures.Add($"{Prefix}Voice must be a voice id such as flite.slt or espeak-ng.de (letters, digits, '.', '_', '-'; at most 64), not '{voice}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
