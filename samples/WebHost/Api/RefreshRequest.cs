namespace BookBytes.WebHost.Api;

/// <summary>The optional body of <c>POST /api/v1/books/{audioBookId}/refresh</c>.</summary>
/// <param name="Force">Build a whole new version instead of redoing only missing chapters.</param>
/// <param name="Chapters">Chapter numbers to add (as the edition's table of contents numbers them), made without redoing the others.</param>
internal sealed record RefreshRequest(bool Force, IReadOnlyList<int>? Chapters = null);
