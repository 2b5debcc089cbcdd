namespace BookBytes.Documents;

/// <summary>A document to read: its bytes, its media type and the limits to keep while reading it.</summary>
/// <param name="Content">The whole document.</param>
/// <param name="MediaType">The media type it is read as, for example <c>application/pdf</c>.</param>
/// <param name="Limits">What a reader may allocate or accept.</param>
public sealed record DocumentInput(ReadOnlyMemory<byte> Content, string MediaType, DocumentLimits Limits);
