using BookBytes.Internal.Processes;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>What was found on this machine: ffmpeg, ffprobe and ffmpeg's audio encoders. Found once, by <see cref="Discover"/>.</summary>
/// <param name="Ffmpeg">ffmpeg, or <see langword="null"/> when it was not found.</param>
/// <param name="Ffprobe">ffprobe, or <see langword="null"/> when it was not found.</param>
/// <param name="Encoders">The names ffmpeg lists in <c>-encoders</c>; empty without ffmpeg.</param>
internal sealed record FfmpegTools(FfmpegProgram? Ffmpeg, FfmpegProgram? Ffprobe, IReadOnlySet<string> Encoders)
{
    /// <summary>ffmpeg's own AAC encoder, for M4B.</summary>
    public const string AacEncoder = "aac";

    /// <summary>LAME, for MP3 that cannot be copied.</summary>
    public const string Mp3Encoder = "libmp3lame";

    /// <summary>ffmpeg's own FLAC encoder, for chapters of different kinds made alike before joining.</summary>
    public const string FlacEncoder = "flac";

    private static readonly TimeSpan ListingTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Finds the programs of <paramref name="options"/> and asks ffmpeg for its encoders (bounded to 15 s).</summary>
    public static FfmpegTools Discover(FfmpegPackagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ffmpeg = Executables.Resolve(options.FfmpegPath);
        var ffprobe = Executables.Resolve(options.FfprobePath);
        var encoders = new HashSet<string>(StringComparer.Ordinal);
        if (ffmpeg is not null && Executables.RunListing(ffmpeg, ["-hide_banner", "-nostdin", "-encoders"], ListingTimeout) is { } listing)
        {
            // The list follows a legend ending in "------": lines such as " A....D aac                  AAC (Advanced Audio Coding)".
            var listed = false;
            foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                if (listed && parts.Length >= 2 && parts[0].Length == 6 && parts[0][0] == 'A')
                {
                    encoders.Add(parts[1]);
                }

                listed |= line.StartsWith("------", StringComparison.Ordinal);
            }
        }

        return new FfmpegTools(
            ffmpeg is null ? null : new FfmpegProgram("ffmpeg", ffmpeg),
            ffprobe is null ? null : new FfmpegProgram("ffprobe", ffprobe),
            encoders);
    }

    /// <summary>Whether ffmpeg was found and lists <paramref name="encoder"/>.</summary>
    public bool Has(string encoder) => Ffmpeg is not null && Encoders.Contains(encoder);
}
