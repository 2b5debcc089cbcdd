using System.Diagnostics.CodeAnalysis;

namespace BookBytes.Packaging;

/// <summary>File extensions, media types and parsing for <see cref="PackageFormat"/>.</summary>
public static class PackageFormatExtensions
{
    /// <summary>Gets the file extension without a dot: <c>m4b</c> or <c>mp3</c>.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The lower-case extension.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined format.</exception>
    public static string GetFileExtension(this PackageFormat format) => format switch
    {
        PackageFormat.M4b => "m4b",
        PackageFormat.Mp3 => "mp3",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown package format."),
    };

    /// <summary>Gets the media type to store and serve the file with: <c>audio/mp4</c> or <c>audio/mpeg</c>.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The media type.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined format.</exception>
    public static string GetContentType(this PackageFormat format) => format switch
    {
        PackageFormat.M4b => "audio/mp4",
        PackageFormat.Mp3 => "audio/mpeg",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown package format."),
    };

    /// <summary>Parses a format name: <c>m4b</c> or <c>mp3</c>, in any case (not numbers).</summary>
    /// <param name="value">The name.</param>
    /// <param name="format">The format, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is a known format.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out PackageFormat format)
    {
        format = default;
        return !string.IsNullOrWhiteSpace(value)
            && !int.TryParse(value, out _)
            && Enum.TryParse(value.Trim(), ignoreCase: true, out format)
            && Enum.IsDefined(format);
    }
}
