namespace BookBytes.Books;

/// <summary>Looks books up by ISBN in a bibliographic catalog.</summary>
/// <remarks>Implementations must be safe to call from many threads at once.</remarks>
public interface IBookCatalog
{
    /// <summary>Finds the edition with the given ISBN.</summary>
    /// <param name="isbn">The ISBN to look up.</param>
    /// <param name="cancellationToken">A token that cancels the lookup.</param>
    /// <returns>The edition with a newly assigned <see cref="Edition.Id"/>, or <see langword="null"/> when the catalog does not know the ISBN.</returns>
    /// <exception cref="CatalogUnavailableException">The catalog could not be reached or failed; <see cref="BookBytesException.IsTransient"/> says whether to retry.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<Edition?> FindByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default);
}
