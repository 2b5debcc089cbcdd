namespace BookBytes.Books;

/// <summary>
/// Thrown when the language model says it does not know the book, so it cannot list its real
/// chapters. Never transient: asking again would only invite an invented book.
/// </summary>
public sealed class BookNotKnownException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="title">The book's title.</param>
    public BookNotKnownException(string title)
        : base($"The language model does not know the book '{title}' well enough to list its chapters.", ErrorCodes.BookNotKnown)
    {
        Title = title;
    }

    /// <summary>Gets the book's title.</summary>
    public string Title { get; }
}
