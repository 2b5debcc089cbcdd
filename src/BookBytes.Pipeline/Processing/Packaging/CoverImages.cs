using BookBytes.Books;
using BookBytes.Internal.Images;
using BookBytes.Storage;

namespace BookBytes.Pipeline.Processing.Packaging;

/// <summary>Cover images: which bytes are one (by their magic bytes, never by a name or a declared type), and reading one back from storage.</summary>
internal static class CoverImages
{
    /// <summary>The largest cover kept, in bytes.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>Tells the image's media type from its first bytes.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns><c>image/jpeg</c>, <c>image/png</c>, or <see langword="null"/> for anything else (or too large).</returns>
    public static string? MediaTypeOf(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxBytes)
        {
            return null;
        }

        return ImageSignature.MediaTypeOf(data);
    }

    /// <summary>The file extension of a cover's media type.</summary>
    /// <param name="mediaType"><c>image/jpeg</c> or <c>image/png</c>.</param>
    /// <returns><c>jpg</c> or <c>png</c>.</returns>
    public static string ExtensionOf(string mediaType) => mediaType == ImageSignature.Png ? "png" : "jpg";

    /// <summary>Reads a stored cover, at most <see cref="MaxBytes"/>.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="key">The cover's key.</param>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The image, or <see langword="null"/> when it is missing, too large, or not an image.</returns>
    public static async Task<CoverImage?> ReadAsync(IStorageBackend storage, StorageKey key, CancellationToken cancellationToken)
    {
        var stream = await storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            var data = buffer.AsMemory(0, length);
            return MediaTypeOf(data.Span) is { } mediaType ? new CoverImage(data.ToArray(), mediaType) : null;
        }
    }
}
