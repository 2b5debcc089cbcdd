namespace BookBytes.AudioBooks;

/// <summary>One page of audiobooks, newest first.</summary>
/// <param name="Items">The audiobooks on the page.</param>
/// <param name="Total">How many audiobooks there are in all.</param>
public sealed record AudioBookPage(IReadOnlyList<AudioBook> Items, long Total);
