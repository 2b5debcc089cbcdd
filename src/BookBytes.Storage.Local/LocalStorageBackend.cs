using System.Buffers;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.Local;

/// <summary>An <see cref="IStorageBackend"/> that keeps each object as a file under <see cref="LocalStorageOptions.RootPath"/>.</summary>
/// <remarks>
/// <para>
/// A key maps to the path of the same name under the root. Before any file is touched the path's real
/// location is resolved (every symbolic link along it followed); a key whose real location is not
/// under the root's real location is refused with a <see cref="StorageException"/>.
/// </para>
/// <para>
/// Writes stream the content through one 128 KiB buffer into a temporary file in the target folder,
/// flush it to disk and rename it over the target, so a reader sees the old file or the new one,
/// concurrent writers of one key leave one whole file (the last rename wins), and a cancelled or
/// failed write leaves nothing behind. Temporary files are named <c>{name}.~{guid}.tmp</c>; <c>~</c>
/// cannot appear in a key, so they never collide with an object.
/// </para>
/// <para>Thread-safe: one instance serves any number of concurrent calls.</para>
/// </remarks>
public sealed partial class LocalStorageBackend : IStorageBackend
{
    /// <summary>The size of the buffer a write streams through.</summary>
    internal const int CopyBufferSize = 128 * 1024;

    private const int MaxLinkDepth = 40;

    private readonly string _root;
    private readonly Uri? _publicBaseUrl;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="options">The options; <see cref="LocalStorageOptions.RootPath"/> is resolved to a full path now.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="LocalStorageOptions.RootPath"/> is empty or not a valid path.</exception>
    public LocalStorageBackend(IOptions<LocalStorageOptions> options, ILogger<LocalStorageBackend>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        ArgumentException.ThrowIfNullOrWhiteSpace(value.RootPath, "options.RootPath");
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(value.RootPath));
        _publicBaseUrl = value.PublicBaseUrl is { } url && !url.AbsoluteUri.EndsWith('/')
            ? new Uri(url.AbsoluteUri + "/")
            : value.PublicBaseUrl;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the full path of the root folder.</summary>
    public string RootPath => _root;

    /// <inheritdoc/>
    /// <remarks>Always <see langword="false"/>: files are served through the host, even with a <see cref="LocalStorageOptions.PublicBaseUrl"/>.</remarks>
    public bool ServesDirectUrls => false;

    /// <inheritdoc/>
    public async Task<StoredObject> SaveAsync(StorageKey key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var path = ResolvePath(key);
        cancellationToken.ThrowIfCancellationRequested();

        string? temp = null;
        try
        {
            var directory = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(directory);

            // Folders may have been created (or swapped) since the first check: check again before writing.
            path = ResolvePath(key);
            temp = $"{path}.~{Guid.NewGuid():N}.tmp";

            long length;
            var fileOptions = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
            };
            var file = new FileStream(temp, fileOptions);
            await using (file.ConfigureAwait(false))
            {
                length = await CopyAsync(content, file, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            temp = null;
            LogSaved(_logger, key.Value, length);
            return new StoredObject(key, path, length);
        }
        catch (ContentReadException ex)
        {
            // The caller's stream failed, not the storage: its own error passes through (as with S3).
            ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure("write", key, ex);
        }
        finally
        {
            if (temp is not null)
            {
                TryDelete(temp);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>The stream is a seekable, asynchronous <see cref="FileStream"/> opened for shared reading.</remarks>
    public Task<Stream?> OpenReadAsync(StorageKey key, CancellationToken cancellationToken = default)
    {
        var path = ResolvePath(key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (Directory.Exists(path))
            {
                return Task.FromResult<Stream?>(null);
            }

            var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure("open", key, ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="LocalStorageOptions.PublicBaseUrl"/> plus the key when set, else the file's <c>file://</c> URL.
    /// <paramref name="expiry"/> is ignored: these URLs do not expire. The file need not exist.
    /// </remarks>
    public Task<Uri> GetUrlAsync(StorageKey key, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
    {
        var path = ResolvePath(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_publicBaseUrl is null ? new Uri(path) : new Uri(_publicBaseUrl, key.Value));
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(StorageKey key, CancellationToken cancellationToken = default)
    {
        var path = ResolvePath(key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (!File.Exists(path))
            {
                return Task.FromResult(false);
            }

            File.Delete(path);
            LogDeleted(_logger, key.Value);
            return Task.FromResult(true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure("delete", key, ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The folder's directory is removed with everything in it; a symbolic link inside is removed, never followed.</remarks>
    public Task<int> DeleteUnderAsync(StorageKey folder, CancellationToken cancellationToken = default)
    {
        var path = ResolvePath(folder);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (!Directory.Exists(path))
            {
                return Task.FromResult(0);
            }

            var count = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Count();
            Directory.Delete(path, recursive: true);
            LogDeleted(_logger, folder.Value + "/");
            return Task.FromResult(count);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure("delete", folder, ex);
        }
    }

    /// <inheritdoc/>
    public Task<bool> ExistsAsync(StorageKey key, CancellationToken cancellationToken = default)
    {
        var path = ResolvePath(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(path));
    }

    /// <summary>Maps a key to its path under the root, refusing keys whose real location (links followed) leaves the root.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The full path, under the root.</returns>
    internal string ResolvePath(StorageKey key)
    {
        if (string.IsNullOrEmpty(key.Value))
        {
            throw new ArgumentException("The storage key is empty (default(StorageKey)); create keys with StorageKey.Parse.", nameof(key));
        }

        var path = Path.Join(_root, key.Value.Replace('/', Path.DirectorySeparatorChar));
        string realRoot;
        string realPath;
        try
        {
            realRoot = RealPath(_root, 0);
            realPath = RealPath(path, 0);
        }
        catch (IOException ex)
        {
            throw Failure("resolve", key, ex);
        }

        var rootPrefix = realRoot.EndsWith(Path.DirectorySeparatorChar) ? realRoot : realRoot + Path.DirectorySeparatorChar;
        if (!realPath.StartsWith(rootPrefix, StringComparison.Ordinal))
        {
            LogEscapeRefused(_logger, key.Value);
            throw new StorageException(
                $"The storage key '{key.Value}' resolves (through a symbolic link) to a location outside {LocalStorageOptions.SectionName}:{nameof(LocalStorageOptions.RootPath)} ('{_root}'); refused.");
        }

        return path;
    }

    /// <summary>
    /// Gets the real location of a full path: every component that is a symbolic link is replaced by its
    /// final target, recursively. Components that do not exist are kept as they are.
    /// </summary>
    private static string RealPath(string fullPath, int depth)
    {
        if (depth > MaxLinkDepth)
        {
            throw new IOException($"Too many levels of symbolic links resolving '{fullPath}'.");
        }

        var rootOfPath = Path.GetPathRoot(fullPath) ?? string.Empty;
        var parts = fullPath[rootOfPath.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = rootOfPath;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Join(current, parts[i]);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } linkTarget)
            {
                var target = Path.IsPathRooted(linkTarget) ? linkTarget : Path.Join(current, linkTarget);
                current = RealPath(Path.GetFullPath(target), depth + 1);
            }
            else if (!info.Exists && !Directory.Exists(next))
            {
                // Nothing below a missing component can be a link.
                return Path.Join(next, string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]));
            }
            else
            {
                current = next;
            }
        }

        return Path.TrimEndingDirectorySeparator(current);
    }

    private static async Task<long> CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long total = 0;
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new ContentReadException(ex);
                }

                if (read == 0)
                {
                    break;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogTempDeleteFailed(_logger, temp, ex);
        }
    }

    private StorageException Failure(string operation, StorageKey key, Exception ex) => ex switch
    {
        UnauthorizedAccessException => new StorageException(
            $"Could not {operation} '{key.Value}': access denied under {LocalStorageOptions.SectionName}:{nameof(LocalStorageOptions.RootPath)} ('{_root}').",
            isTransient: false,
            ex),

        // The file system cannot hold this key (a segment or the path is too long for it); trying again will not help.
        PathTooLongException => new StorageException(
            $"Could not {operation} '{key.Value}' under '{_root}': the key is too long for this file system ({ex.Message}).",
            isTransient: false,
            ex),
        _ => new StorageException($"Could not {operation} '{key.Value}' under '{_root}': {ex.Message}", isTransient: true, ex),
    };

    [LoggerMessage(1, LogLevel.Debug, "Stored {Key} ({Length} bytes)")]
    private static partial void LogSaved(ILogger logger, string key, long length);

    [LoggerMessage(2, LogLevel.Debug, "Deleted {Key}")]
    private static partial void LogDeleted(ILogger logger, string key);

    [LoggerMessage(3, LogLevel.Warning, "Refused storage key {Key}: its real location is outside the storage root")]
    private static partial void LogEscapeRefused(ILogger logger, string key);

    [LoggerMessage(4, LogLevel.Warning, "Could not delete the temporary file {Path}")]
    private static partial void LogTempDeleteFailed(ILogger logger, string path, Exception exception);

    /// <summary>Carries a failure of the caller's content stream past the storage error mapping.</summary>
    private sealed class ContentReadException(Exception inner) : Exception(inner.Message, inner);
}
