namespace BookBytes.Packaging;

/// <summary>
/// Makes one chaptered file (M4B or MP3) from an audiobook's chapter files, with tags and cover art. The pipeline's
/// packaging job streams the chapters from storage into it and the result back into storage.
/// </summary>
/// <remarks>Implementations must be safe to call from many threads at once and keep memory flat whatever the book's length (work on disk, not in memory).</remarks>
public interface IAudioPackager
{
    /// <summary>Tells whether this packager can make the format on this machine.</summary>
    /// <param name="format">The format.</param>
    /// <returns><see langword="true"/> when <see cref="PackageAsync"/> can make it.</returns>
    bool Supports(PackageFormat format);

    /// <summary>Makes the file.</summary>
    /// <param name="request">The chapters, tags and cover.</param>
    /// <param name="cancellationToken">A token that cancels the work; nothing is left behind.</param>
    /// <returns>The file, which the caller disposes.</returns>
    /// <exception cref="PackagingException">The packaging failed; <see cref="BookBytesException.IsTransient"/> says whether to retry.</exception>
    /// <exception cref="ArgumentException">The request has no chapters, or asks for a format this packager does not make.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<PackagedAudio> PackageAsync(PackageRequest request, CancellationToken cancellationToken = default);
}
