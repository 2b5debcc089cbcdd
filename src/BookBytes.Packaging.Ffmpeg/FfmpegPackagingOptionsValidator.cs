using Microsoft.Extensions.Options;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>Checks <see cref="FfmpegPackagingOptions"/>' values at start-up; every message names the configuration key to fix.</summary>
internal sealed class FfmpegPackagingOptionsValidator : IValidateOptions<FfmpegPackagingOptions>
{
    private const string Prefix = FfmpegPackagingOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, FfmpegPackagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FfmpegPath))
        {
            failures.Add($"{Prefix}FfmpegPath must name the ffmpeg program (for example ffmpeg or /usr/bin/ffmpeg).");
        }

        if (string.IsNullOrWhiteSpace(options.FfprobePath))
        {
            failures.Add($"{Prefix}FfprobePath must name the ffprobe program (for example ffprobe or /usr/bin/ffprobe).");
        }

        if (options.AacBitrate is < 16 or > 320)
        {
            failures.Add($"{Prefix}AacBitrate must be between 16 and 320 kbit/s, not {options.AacBitrate}.");
        }

        if (options.Mp3Bitrate is < 8 or > 320)
        {
            failures.Add($"{Prefix}Mp3Bitrate must be between 8 and 320 kbit/s, not {options.Mp3Bitrate}.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromHours(24))
        {
            failures.Add($"{Prefix}Timeout must be more than zero and at most 24 hours (for example 02:00:00), not {options.Timeout}.");
        }

        if (options.MaxChapters is < 1 or > 100_000)
        {
            failures.Add($"{Prefix}MaxChapters must be between 1 and 100000, not {options.MaxChapters}.");
        }

        if (options.MaxChapterBytes < 1)
        {
            failures.Add($"{Prefix}MaxChapterBytes must be at least 1 byte, not {options.MaxChapterBytes}.");
        }

        if (options.TempDirectory is { } directory && (string.IsNullOrWhiteSpace(directory) || directory.Any(char.IsControl) || !Directory.Exists(directory)))
        {
            failures.Add($"{Prefix}TempDirectory must be an existing folder (its path without control characters), or unset for the system's temporary folder; '{directory}' is not one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
