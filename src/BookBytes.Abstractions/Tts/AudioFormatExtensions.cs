using System.Diagnostics.CodeAnalysis;

namespace BookBytes.Tts;

/// <summary>File extensions, media types and parsing for <see cref="AudioFormat"/>.</summary>
public static class AudioFormatExtensions
{
    /// <summary>Gets the file extension without a dot, for example <c>mp3</c>.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The lower-case extension.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined format.</exception>
    public static string GetFileExtension(this AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => "mp3",
        AudioFormat.Opus => "opus",
        AudioFormat.Aac => "aac",
        AudioFormat.Flac => "flac",
        AudioFormat.Wav => "wav",
        AudioFormat.Pcm => "pcm",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format."),
    };

    /// <summary>Gets the media type, for example <c>audio/mpeg</c>.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The media type to store and serve the audio with.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined format.</exception>
    public static string GetContentType(this AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => "audio/mpeg",
        AudioFormat.Opus => "audio/ogg",
        AudioFormat.Aac => "audio/aac",
        AudioFormat.Flac => "audio/flac",
        AudioFormat.Wav => "audio/wav",
        AudioFormat.Pcm => "audio/L16",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format."),
    };

    /// <summary>Parses a format name such as <c>mp3</c> or <c>WAV</c>.</summary>
    /// <param name="value">The name, case-insensitive.</param>
    /// <param name="format">The format, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is a known format.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out AudioFormat format)
    {
        format = default;
        return !string.IsNullOrWhiteSpace(value)
            && !int.TryParse(value, out _)
            && Enum.TryParse(value.Trim(), ignoreCase: true, out format)
            && Enum.IsDefined(format);
    }
}
