using BookBytes.Packaging;

namespace BookBytes.AudioBooks;

/// <summary>One stored package file of an audiobook version.</summary>
/// <param name="Format">Its format.</param>
/// <param name="Key">Its storage key, <c>audiobooks/{id}/v{n}/book.{m4b|mp3}</c>.</param>
/// <param name="SizeBytes">Its size in bytes.</param>
public sealed record PackagedFile(PackageFormat Format, string Key, long SizeBytes);
