using BookBytes.AudioBooks;
using BookBytes.Books;

namespace BookBytes.Pipeline.Processing;

/// <summary>An audiobook with its edition and the chapters of its served version.</summary>
/// <param name="AudioBook">The audiobook.</param>
/// <param name="Edition">The edition it summarises.</param>
/// <param name="Chapters">The chapters of <see cref="AudioBook.Version"/>, in order; while the first version is being built, its chapters so far.</param>
public sealed record AudioBookDetails(AudioBook AudioBook, Edition Edition, IReadOnlyList<Chapter> Chapters);
