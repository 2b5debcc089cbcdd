namespace BookBytes.Pipeline.Processing;

/// <summary>One page of audiobooks, newest first, each with its edition.</summary>
/// <param name="Items">The audiobooks on the page.</param>
/// <param name="Total">How many audiobooks there are in all.</param>
/// <param name="Page">The 1-based page.</param>
/// <param name="PageSize">Audiobooks per page.</param>
public sealed record AudioBookListPage(IReadOnlyList<AudioBookListEntry> Items, long Total, int Page, int PageSize);
