using System.Text.Json;
using BookBytes.Books;
using BookBytes.Documents;
using BookBytes.Storage;

namespace BookBytes.Pipeline.Processing;

/// <summary>
/// A job's access to a document edition's chapters: each read from its own file when it is made, so a job holds the text
/// of the chapters in flight, not of the whole book. An edition stored before chapters had files of their own is read
/// whole once, the first time a chapter is asked for.
/// </summary>
/// <param name="storage">The storage the edition's files are in.</param>
/// <param name="edition">A document edition.</param>
internal sealed class ChapterTexts(IStorageBackend storage, Edition edition)
{
    private readonly Lock _gate = new();
    private Task<Dictionary<int, DocumentChapter>>? _whole;

    /// <summary>Reads one chapter.</summary>
    /// <param name="number">The chapter number.</param>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The chapter, or <see langword="null"/> when the document has none with the number.</returns>
    /// <exception cref="StorageException">The text cannot be read.</exception>
    public async Task<DocumentChapter?> ReadAsync(int number, CancellationToken cancellationToken)
    {
        if (_whole is null)
        {
            var stream = await storage.OpenReadAsync(Storage.DocumentStorageLayout.ChapterText(edition.Id, number), cancellationToken).ConfigureAwait(false);
            if (stream is not null)
            {
                await using (stream.ConfigureAwait(false))
                {
                    try
                    {
                        return await JsonSerializer.DeserializeAsync<DocumentChapter>(stream, EditionText.Json, cancellationToken).ConfigureAwait(false);
                    }
                    catch (JsonException ex)
                    {
                        throw new StorageException($"The text of chapter {number} of edition {edition.Id} is not readable: {ex.Message}", isTransient: false, ex);
                    }
                }
            }
        }

        Task<Dictionary<int, DocumentChapter>> whole;
        lock (_gate)
        {
            // Read once for all chapters; not cancelled by one chapter's token, as the others wait for it too.
            whole = _whole ??= ReadWholeAsync();
        }

        return (await whole.WaitAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(number);
    }

    private async Task<Dictionary<int, DocumentChapter>> ReadWholeAsync()
        => (await EditionText.ReadAsync(storage, edition, CancellationToken.None).ConfigureAwait(false))
            .Chapters.DistinctBy(c => c.Number).ToDictionary(c => c.Number);
}
