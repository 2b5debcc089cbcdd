namespace BookBytes.WebHost.Api;

/// <summary>A page of audiobooks (<c>GET /api/v1/audiobooks</c>), newest first.</summary>
internal sealed record AudioBookList(IReadOnlyList<AudioBookListItem> Items, long Total, int Page, int PageSize);
