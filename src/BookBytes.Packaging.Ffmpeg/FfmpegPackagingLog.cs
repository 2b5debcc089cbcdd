using Microsoft.Extensions.Logging;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>Source-generated log messages of the ffmpeg packager. Tag values and chapter titles are never logged.</summary>
internal static partial class FfmpegPackagingLog
{
    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Packaging: {Program} was not found as '{Configured}' (Debian package ffmpeg: apt-get install ffmpeg); audiobooks are not packaged")]
    public static partial void ToolMissing(ILogger logger, string program, string configured);

    [LoggerMessage(EventId = 9208, Level = LogLevel.Information, Message = "Packaging: the ffmpeg at {Path} has no AAC encoder (aac); M4B is not made")]
    public static partial void AacMissing(ILogger logger, string path);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Debug, Message = "Packaging {Chapters} chapters as {Format}")]
    public static partial void Packaging(ILogger logger, int chapters, PackageFormat format);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Packaged {Chapters} chapters as {Format}: {Seconds:0.0} s of audio, {Bytes} bytes, audio copied {Copied}, in {ElapsedMilliseconds:0} ms")]
    public static partial void Packaged(ILogger logger, int chapters, PackageFormat format, double seconds, long bytes, bool copied, double elapsedMilliseconds);

    [LoggerMessage(EventId = 9204, Level = LogLevel.Information, Message = "Packaging: the cover is left out: {Reason}")]
    public static partial void CoverIgnored(ILogger logger, string reason);

    [LoggerMessage(EventId = 9209, Level = LogLevel.Information, Message = "Packaging: the cover is left out: it has {Bytes} bytes, more than {MaxBytes}")]
    public static partial void CoverTooLarge(ILogger logger, int bytes, int maxBytes);

    [LoggerMessage(EventId = 9205, Level = LogLevel.Debug, Message = "Packaging: the chapters are of {Kinds} kinds of audio; they are made alike as FLAC ({SampleRate} Hz, {Channels} channels) before they are joined")]
    public static partial void MakingAlike(ILogger logger, int kinds, int sampleRate, int channels);

    [LoggerMessage(EventId = 9206, Level = LogLevel.Warning, Message = "Packaging {Format} failed (transient {IsTransient}): {Reason}")]
    public static partial void Failed(ILogger logger, PackageFormat format, bool isTransient, string reason);

    [LoggerMessage(EventId = 9207, Level = LogLevel.Warning, Message = "Packaging: the work file {Path} could not be deleted: {Reason}")]
    public static partial void CleanUpFailed(ILogger logger, string path, string reason);
}
