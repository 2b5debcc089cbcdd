namespace BookBytes.Packaging.Ffmpeg;

/// <summary>
/// Settings of <see cref="FfmpegAudioPackager"/>, bound from the configuration section <see cref="SectionName"/>. The
/// programs are found by these names on <c>PATH</c>, or at these paths when they contain a slash.
/// </summary>
/// <remarks>A mutable settings bag; not thread-safe while being configured, and read once when the packager is made.</remarks>
public sealed class FfmpegPackagingOptions
{
    /// <summary>The configuration section the options are bound from: <c>BookBytes:Packaging</c>.</summary>
    public const string SectionName = "BookBytes:Packaging";

    /// <summary>Gets or sets the ffmpeg executable (Debian package <c>ffmpeg</c>). Default <c>ffmpeg</c>.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Gets or sets the ffprobe executable, which measures the chapters (Debian package <c>ffmpeg</c>). Default <c>ffprobe</c>.</summary>
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>Gets or sets the AAC bit rate of an M4B in kbit/s. Default 64; 16 to 320.</summary>
    public int AacBitrate { get; set; } = 64;

    /// <summary>Gets or sets the bit rate in kbit/s of an MP3 that has to be encoded (chapters that are not all MP3 of one sample rate and channel count). Default 64; 8 to 320.</summary>
    public int Mp3Bitrate { get; set; } = 64;

    /// <summary>Gets or sets how long one package may take, from the first chapter read to the finished file. Default 2 hours; at most 24 hours.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Gets or sets the most chapters one package accepts. Default 10,000; 1 to 100,000.</summary>
    public int MaxChapters { get; set; } = 10_000;

    /// <summary>Gets or sets the largest chapter file in bytes. Default 2 GiB; at least 1.</summary>
    public long MaxChapterBytes { get; set; } = 2L << 30;

    /// <summary>
    /// Gets or sets the folder for the work files and the finished file; <see langword="null"/>, the default, for
    /// <see cref="Path.GetTempPath"/>. It needs room for the chapters and the result (about twice the book's size).
    /// </summary>
    public string? TempDirectory { get; set; }
}
