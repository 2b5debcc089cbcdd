namespace BookBytes.WebHost.Api;

/// <summary>The body of <c>POST /api/v1/books/process</c> and <c>POST /api/v1/books/estimate</c>: exactly one of <see cref="EditionId"/> and <see cref="Isbn"/>.</summary>
/// <param name="EditionId">An edition id returned by the ISBN lookup or an upload.</param>
/// <param name="Isbn">An ISBN-10 or ISBN-13, hyphens and spaces allowed.</param>
/// <param name="Voice">The voice; the provider's default when absent.</param>
/// <param name="Mode"><c>summary</c> (the default) or <c>narration</c> (an uploaded document's text, read out); case-insensitive.</param>
/// <param name="Chapters">The chapter numbers to make, as the edition's table of contents numbers them; absent for the body chapters.</param>
/// <param name="SummaryWords">Target words per chapter summary (50 to 5000); absent for the server's default. Summaries only.</param>
internal sealed record ProcessRequest(
    Guid? EditionId,
    string? Isbn,
    string? Voice,
    string? Mode = null,
    IReadOnlyList<int>? Chapters = null,
    int? SummaryWords = null);
