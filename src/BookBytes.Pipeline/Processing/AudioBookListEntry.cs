using BookBytes.AudioBooks;
using BookBytes.Books;

namespace BookBytes.Pipeline.Processing;

/// <summary>An audiobook in a list, with its edition.</summary>
/// <param name="AudioBook">The audiobook.</param>
/// <param name="Edition">The edition it is made from; <see langword="null"/> only if the store lost it.</param>
public sealed record AudioBookListEntry(AudioBook AudioBook, Edition? Edition);
