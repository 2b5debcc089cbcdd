namespace BookBytes.Books;

/// <summary>Thrown when the catalog has no book with the requested ISBN.</summary>
public sealed class BookNotFoundException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="isbn">The ISBN that was not found.</param>
    public BookNotFoundException(Isbn isbn)
        : base($"No book with ISBN {isbn} was found in the catalog.", ErrorCodes.BookNotFound)
    {
        Isbn = isbn;
    }

    /// <summary>Gets the ISBN that was not found.</summary>
    public Isbn Isbn { get; }
}
