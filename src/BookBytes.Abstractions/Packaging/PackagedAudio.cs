namespace BookBytes.Packaging;

/// <summary>
/// A packaged audiobook: a temporary file the packager made, its chapter marks and its duration. Disposing it deletes the file.
/// </summary>
/// <remarks>The caller owns it; not thread-safe for disposal, but <see cref="OpenRead"/> may be called from any thread before.</remarks>
public sealed class PackagedAudio : IAsyncDisposable
{
    private readonly string _path;

    /// <summary>Initializes the result over a file the packager wrote and hands over.</summary>
    /// <param name="path">The temporary file; deleted on disposal.</param>
    /// <param name="format">The file's format.</param>
    /// <param name="chapters">The chapter marks written into the file, in order.</param>
    /// <param name="durationSeconds">The file's duration.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="chapters"/> is <see langword="null"/>.</exception>
    public PackagedAudio(string path, PackageFormat format, IReadOnlyList<PackageChapterMark> chapters, double durationSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(chapters);
        _path = path;
        Format = format;
        Chapters = chapters;
        DurationSeconds = durationSeconds;
    }

    /// <summary>Gets the file's format.</summary>
    public PackageFormat Format { get; }

    /// <summary>Gets the chapter marks, in order.</summary>
    public IReadOnlyList<PackageChapterMark> Chapters { get; }

    /// <summary>Gets the duration in seconds.</summary>
    public double DurationSeconds { get; }

    /// <summary>Gets the file's size in bytes.</summary>
    public long Length => new FileInfo(_path).Length;

    /// <summary>Opens the file for reading, streamed from disk.</summary>
    /// <returns>A stream the caller disposes.</returns>
    public Stream OpenRead() => new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81_920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Deletes the file.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // A file still open elsewhere is left for the temporary folder's own clean-up.
        }

        return ValueTask.CompletedTask;
    }
}
