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

    /// <summary>
    /// Downloads the cover image of an edition this catalog found (its <see cref="Edition.CoverUrl"/>), for cover art in packaged
    /// audiobooks. The default answers <see langword="null"/>: a catalog that serves covers overrides it, bounding the download's size and time.
    /// </summary>
    /// <param name="edition">The edition.</param>
    /// <param name="cancellationToken">A token that cancels the download.</param>
    /// <returns>The image (JPEG or PNG), or <see langword="null"/> when the edition has none or it cannot be had.</returns>
    /// <exception cref="CatalogUnavailableException">
    /// The catalog could not be reached or failed, as for <see cref="FindByIsbnAsync"/>; <see cref="BookBytesException.IsTransient"/> says
    /// whether asking again later may give the cover. A package is made without art rather than failed for it.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<CoverImage?> GetCoverAsync(Edition edition, CancellationToken cancellationToken = default) => Task.FromResult<CoverImage?>(null);
}
