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

    /// <summary>Adds a book and returns its ISBN.</summary>
    public Isbn Add(string isbn, string title, IReadOnlyList<TableOfContentsEntry>? tableOfContents = null)
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
        };
        return parsed;
    }

    /// <inheritdoc/>
    public Task<Edition?> FindByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return Task.FromResult(Editions.TryGetValue(isbn.Value, out var edition) ? edition with { Id = Guid.NewGuid() } : null);
    }
}
