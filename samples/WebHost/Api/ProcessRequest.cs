namespace BookBytes.WebHost.Api;

/// <summary>The body of <c>POST /api/v1/books/process</c>: exactly one of <see cref="EditionId"/> and <see cref="Isbn"/>.</summary>
/// <param name="EditionId">An edition id returned by the ISBN lookup.</param>
/// <param name="Isbn">An ISBN-10 or ISBN-13, hyphens and spaces allowed.</param>
/// <param name="Voice">The voice; the provider's default when absent.</param>
internal sealed record ProcessRequest(Guid? EditionId, string? Isbn, string? Voice);
