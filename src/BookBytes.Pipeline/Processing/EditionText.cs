using System.Text.Json;
using BookBytes.Books;
using BookBytes.Documents;
using BookBytes.Storage;

namespace BookBytes.Pipeline.Processing;

/// <summary>
/// The parsed text of a document edition, as <see cref="ProcessingService.AddDocumentAsync"/> stored it: the whole book
/// (<c>sources/{editionId}/book.json</c>) and each chapter on its own (<c>sources/{editionId}/chapters/{NNNN}.json</c>).
/// </summary>
internal static class EditionText
{
    /// <summary>The JSON the pipeline stores its own files in (web defaults: camelCase).</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads the edition's text.</summary>
    /// <param name="storage">The storage the edition's files are in.</param>
    /// <param name="edition">A document edition.</param>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The document, without its cover.</returns>
    /// <exception cref="BookBytesException"><see cref="ErrorCodes.TextRequired"/>: the edition has no stored text.</exception>
    /// <exception cref="StorageException">The text is missing from storage or cannot be read (not transient when it is gone).</exception>
    public static async Task<BookDocument> ReadAsync(IStorageBackend storage, Edition edition, CancellationToken cancellationToken)
    {
        if (edition.Document is not { } document)
        {
            throw new BookBytesException($"Edition {edition.Id} has no stored text.", ErrorCodes.TextRequired);
        }

        var key = document.TextKey;
        var stream = await storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageException($"The text of edition {edition.Id} ({key}) is not in storage; upload the document again.", isTransient: false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync<BookDocument>(stream, Json, cancellationToken).ConfigureAwait(false)
                    ?? throw new StorageException($"The text of edition {edition.Id} ({key}) is empty.", isTransient: false);
            }
            catch (JsonException ex)
            {
                throw new StorageException($"The text of edition {edition.Id} ({key}) is not readable: {ex.Message}", isTransient: false, ex);
            }
        }
    }

    /// <summary>Stores each chapter's text on its own, a few at a time.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="editionId">The edition.</param>
    /// <param name="document">The document.</param>
    /// <param name="cancellationToken">A token that cancels the writes.</param>
    /// <returns>A task that completes when every chapter is stored.</returns>
    public static Task SaveChaptersAsync(IStorageBackend storage, Guid editionId, BookDocument document, CancellationToken cancellationToken)
        => Parallel.ForEachAsync(
            document.Chapters.DistinctBy(c => c.Number),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (chapter, ct) =>
            {
                using var stream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(chapter, Json), writable: false);
                await storage.SaveAsync(Storage.DocumentStorageLayout.ChapterText(editionId, chapter.Number), stream, "application/json", ct).ConfigureAwait(false);
            });

    /// <summary>The chapter's text for a summary: its paragraphs separated by blank lines.</summary>
    public static string Body(DocumentChapter chapter) => string.Join("\n\n", chapter.Paragraphs);

    /// <summary>The chapter's text as narrated: its heading, then its paragraphs, separated by blank lines.</summary>
    public static string Narrated(DocumentChapter chapter)
        => string.IsNullOrWhiteSpace(chapter.Title) ? Body(chapter) : chapter.Paragraphs.Count == 0 ? chapter.Title.Trim() : chapter.Title.Trim() + "\n\n" + Body(chapter);
}
