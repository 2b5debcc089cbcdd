using System.Collections.Concurrent;
using BookBytes.Books;

namespace BookBytes.Testing.Fakes;

/// <summary>A catalog double over a dictionary of editions keyed by ISBN-13.</summary>
public sealed class FakeBookCatalog : IBookCatalog
{
    private int _lookups;

    /// <summary>Gets the editions the catalog knows.</summary>
    public ConcurrentDictionary<string, Edition> Editions { get; } = new();

    /// <summary>Gets the number of lookups.</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>Gets or sets the cover <see cref="GetCoverAsync"/> answers for an edition with a <see cref="Edition.CoverUrl"/>; none unless set.</summary>
    public CoverImage? Cover { get; set; }

    /// <summary>Gets the editions whose cover was asked for, in order.</summary>
    public ConcurrentQueue<Edition> CoverRequests { get; } = new();

    /// <summary>Adds a book and returns its ISBN; <paramref name="coverUrl"/> becomes its <see cref="Edition.CoverUrl"/>.</summary>
    public Isbn Add(string isbn, string title, IReadOnlyList<TableOfContentsEntry>? tableOfContents = null, Uri? coverUrl = null)
    {
        var parsed = Isbn.Parse(isbn);
        Editions[parsed.Value] = new Edition
        {
            Id = Guid.NewGuid(),
            Isbn13 = parsed.Value,
            Title = title,
            Authors = ["Ada Author"],
            Language = "en",
            Description = "A book used in tests.",
            TableOfContents = tableOfContents ?? [],
            CoverUrl = coverUrl,
        };
        return parsed;
    }

    /// <inheritdoc/>
    public Task<Edition?> FindByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return Task.FromResult(Editions.TryGetValue(isbn.Value, out var edition) ? edition with { Id = Guid.NewGuid() } : null);
    }

    /// <inheritdoc/>
    public Task<CoverImage?> GetCoverAsync(Edition edition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edition);
        CoverRequests.Enqueue(edition);
        return Task.FromResult(edition.CoverUrl is null ? null : Cover);
    }
}
