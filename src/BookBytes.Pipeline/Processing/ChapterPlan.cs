using System.Globalization;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Documents;

namespace BookBytes.Pipeline.Processing;

#pragma warning disable CA2208 // The parameter names are the request's fields (mode, chapters, summaryWords), which the host reports as validation errors.

/// <summary>A chapter an edition's table of contents offers.</summary>
/// <param name="Number">The number requests name it by.</param>
/// <param name="Title">The title.</param>
/// <param name="Kind">Front matter, body or back matter.</param>
/// <param name="Words">The words of its text; 0 when the edition has no text.</param>
internal sealed record OfferedChapter(int Number, string Title, ChapterKind Kind, int Words);

/// <summary>
/// Which chapters an audiobook is made of. An uploaded document offers its chapters by their numbers (front and back
/// matter and chapters without text left out unless named); a catalog's table of contents offers its top-level body
/// entries numbered 1..n; an edition without one offers nothing until the language model's outline is made, and then
/// takes all of it.
/// </summary>
internal static class ChapterPlan
{
    /// <summary>The most chapter numbers one request may name.</summary>
    public const int MaxChapters = 2000;

    /// <summary>The chapters the edition offers, in order; empty when they come from the model's outline.</summary>
    /// <param name="edition">The edition.</param>
    /// <param name="grounding">
    /// Where the audiobook's words come from; <see langword="null"/> for a new audiobook (<see cref="GroundingOf"/>). An
    /// audiobook of a document edition made from the model's memory (before summaries were grounded in the text) keeps the
    /// numbering it was made with: the top-level body entries, 1..n.
    /// </param>
    /// <returns>The chapters.</returns>
    public static IReadOnlyList<OfferedChapter> Offered(Edition edition, AudioBookGrounding? grounding = null)
    {
        if ((grounding ?? GroundingOf(edition)) == AudioBookGrounding.Text)
        {
            return [.. edition.TableOfContents
                .Where(e => e.Number is not null)
                .Select(e => new OfferedChapter(e.Number!.Value, e.Title.Trim(), e.Kind ?? (e.IsFrontOrBackMatter ? ChapterKind.Front : ChapterKind.Body), e.Words ?? 0))];
        }

        var entries = edition.TableOfContents.Where(e => !e.IsFrontOrBackMatter && !string.IsNullOrWhiteSpace(e.Title)).ToList();
        if (entries.Count == 0)
        {
            return [];
        }

        var top = entries.Min(e => e.Level);
        return [.. entries.Where(e => e.Level == top).Select((e, i) => new OfferedChapter(i + 1, e.Title.Trim(), ChapterKind.Body, 0))];
    }

    /// <summary>Where the words of an audiobook of this edition come from.</summary>
    public static AudioBookGrounding GroundingOf(Edition edition) => edition.Source == EditionSource.Document ? AudioBookGrounding.Text : AudioBookGrounding.Model;

    /// <summary>
    /// Checks a request against the edition and resolves its chapters: the numbers to make, in order, or
    /// <see langword="null"/> for all of the model's outline.
    /// </summary>
    /// <param name="edition">The edition.</param>
    /// <param name="request">The request.</param>
    /// <returns>The chapter numbers, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">The mode, chapters or summary length do not fit the edition (the parameter names the field).</exception>
    /// <exception cref="BookBytesException"><see cref="ErrorCodes.TextRequired"/>: narration of an edition without text.</exception>
    public static IReadOnlyList<int>? Resolve(Edition edition, AudioBookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enum.IsDefined(request.Mode))
        {
            throw new ArgumentException("mode is \"summary\" or \"narration\".", "mode");
        }

        if (request.Mode == AudioBookMode.Narration)
        {
            if (edition.Source != EditionSource.Document)
            {
                throw new BookBytesException(
                    "Narration speaks the book's text, and this edition has none: it came from the catalog. Upload the book's file (EPUB, PDF, HTML, Markdown or text) and narrate that edition.",
                    ErrorCodes.TextRequired);
            }

            if (request.SummaryWords is not null)
            {
                throw new ArgumentException("summaryWords applies to summaries; a narration speaks the whole text.", "summaryWords");
            }
        }

        if (request.SummaryWords is { } words && words is < 50 or > 5000)
        {
            throw new ArgumentException("summaryWords is between 50 and 5000.", "summaryWords");
        }

        return Select(edition, request.Chapters, request.Mode);
    }

    /// <summary>Resolves chapter numbers for the edition: named ones checked, or the defaults.</summary>
    /// <param name="edition">The edition.</param>
    /// <param name="requested">The numbers asked for, or <see langword="null"/> for the defaults.</param>
    /// <param name="mode">The mode (a summary of a chapter without text is refused).</param>
    /// <param name="grounding">Where the audiobook's words come from; <see langword="null"/> for a new audiobook.</param>
    /// <returns>The numbers in order, or <see langword="null"/> for all of the model's outline.</returns>
    /// <exception cref="ArgumentException">A number is not offered, too many are named, or none would be made.</exception>
    public static IReadOnlyList<int>? Select(Edition edition, IReadOnlyList<int>? requested, AudioBookMode mode, AudioBookGrounding? grounding = null)
    {
        var offered = Offered(edition, grounding);
        var textual = (grounding ?? GroundingOf(edition)) == AudioBookGrounding.Text;
        if (requested is null)
        {
            if (offered.Count == 0)
            {
                return null;
            }

            var defaults = offered.Where(c => c.Kind == ChapterKind.Body && (!textual || c.Words > 0)).Select(c => c.Number).ToList();
            return defaults.Count > 0 ? defaults
                : throw new ArgumentException("The edition has no body chapters with text; name the chapters to make.", "chapters");
        }

        if (requested.Count == 0)
        {
            throw new ArgumentException("chapters names at least one chapter (or is left out for the body chapters).", "chapters");
        }

        if (requested.Count > MaxChapters)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"chapters names at most {MaxChapters} chapters."), "chapters");
        }

        if (offered.Count == 0)
        {
            throw new ArgumentException(
                "This edition has no table of contents: its chapters come from the language model's outline, so they cannot be chosen. Leave chapters out to make all of them.",
                "chapters");
        }

        var byNumber = offered.ToDictionary(c => c.Number);
        var unknown = requested.Where(n => !byNumber.ContainsKey(n)).Distinct().Order().ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The edition has no chapter {string.Join(", ", unknown.Take(10))}; its chapters are numbered {offered[0].Number} to {offered[^1].Number}."),
                "chapters");
        }

        var chosen = requested.Distinct().Order().ToList();
        if (mode == AudioBookMode.Summary && textual
            && chosen.Where(n => byNumber[n].Words == 0).ToList() is { Count: > 0 } empty)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Chapter {string.Join(", ", empty.Take(10))} has no text to summarise (only its heading); leave it out or narrate it."),
                "chapters");
        }

        return chosen;
    }
}
