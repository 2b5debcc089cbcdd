namespace BookBytes.Books;

/// <summary>A book's cover image.</summary>
/// <param name="Data">The image's bytes.</param>
/// <param name="MediaType"><c>image/jpeg</c> or <c>image/png</c>.</param>
public sealed record CoverImage(ReadOnlyMemory<byte> Data, string MediaType);
