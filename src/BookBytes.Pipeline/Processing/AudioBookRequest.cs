using BookBytes.AudioBooks;

namespace BookBytes.Pipeline.Processing;

/// <summary>What to make of an edition: the mode, the chapters, the voice and the summary length.</summary>
/// <remarks>The same request starts an audiobook and estimates one (<see cref="ProcessingService.EstimateAsync(Guid, AudioBookRequest, CancellationToken)"/>).</remarks>
public sealed record AudioBookRequest
{
    /// <summary>Gets the voice; <see langword="null"/> for the provider's default.</summary>
    public string? Voice { get; init; }

    /// <summary>Gets what to speak: chapter summaries (the default) or the chapters' text (an uploaded document's only).</summary>
    public AudioBookMode Mode { get; init; }

    /// <summary>
    /// Gets the chapter numbers to make, as the edition's table of contents numbers them; <see langword="null"/> for the
    /// body chapters (front and back matter, and chapters without text, are left out unless named). Only editions with a
    /// table of contents (an uploaded document, or a catalog's contents) can have chapters chosen.
    /// </summary>
    public IReadOnlyList<int>? Chapters { get; init; }

    /// <summary>Gets the target words per chapter summary for this audiobook (50 to 5,000); <see langword="null"/> for <c>BookBytes:Summary:Words</c>. Summaries only.</summary>
    public int? SummaryWords { get; init; }
}
