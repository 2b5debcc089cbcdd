namespace BookBytes.Internal.Images;

/// <summary>
/// Tells a JPEG or PNG image by its first bytes (its signature), never by a file name or a declared content type: a
/// cover handed to ffmpeg or to a podcast app must really be one. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Shared source: the pipeline checks document and stored covers with it and the Open Library catalog checks the covers it
/// downloads, so both accept the same images (adapters do not depend on the pipeline).
/// </remarks>
internal static class ImageSignature
{
    /// <summary>The media type of a JPEG image.</summary>
    public const string Jpeg = "image/jpeg";

    /// <summary>The media type of a PNG image.</summary>
    public const string Png = "image/png";

    /// <summary>Tells the image's media type from its first bytes.</summary>
    /// <param name="data">The image's bytes (at least the first eight).</param>
    /// <returns><see cref="Jpeg"/>, <see cref="Png"/>, or <see langword="null"/> for anything else.</returns>
    public static string? MediaTypeOf(ReadOnlySpan<byte> data)
    {
        if (data.Length > 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return Jpeg;
        }

        return data.Length > 8 && data[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? Png : null;
    }
}
