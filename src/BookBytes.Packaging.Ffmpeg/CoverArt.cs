namespace BookBytes.Packaging.Ffmpeg;

/// <summary>Tells a cover's real kind from its first bytes: the media type it came with is not trusted.</summary>
internal static class CoverArt
{
    /// <summary>The largest cover written into a file: 10 MiB.</summary>
    public const int MaxBytes = 10 << 20;

    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The file extension for the image: <c>jpg</c> or <c>png</c>.</summary>
    /// <returns><see langword="null"/> when the bytes are neither a JPEG nor a PNG.</returns>
    public static string? Extension(ReadOnlySpan<byte> data)
        => data.StartsWith(Jpeg) ? "jpg"
            : data.StartsWith(Png) ? "png"
            : null;
}
