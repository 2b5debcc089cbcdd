namespace BookBytes.Documents;

/// <summary>A document's cover image.</summary>
/// <param name="Data">The image bytes as the document holds them.</param>
/// <param name="MediaType">The image's media type, for example <c>image/jpeg</c>.</param>
public sealed record DocumentCover(ReadOnlyMemory<byte> Data, string MediaType);
