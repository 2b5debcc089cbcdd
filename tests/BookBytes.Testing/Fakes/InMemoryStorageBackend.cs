using System.Collections.Concurrent;
using BookBytes.Storage;

namespace BookBytes.Testing.Fakes;

/// <summary>A storage double holding objects in memory and counting writes.</summary>
public sealed class InMemoryStorageBackend : IStorageBackend
{
    private int _saves;

    /// <summary>Gets the stored objects by key.</summary>
    public ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> Objects { get; } = new();

    /// <summary>Gets the number of saves.</summary>
    public int Saves => Volatile.Read(ref _saves);

    /// <summary>Gets the key of every save, in order.</summary>
    public ConcurrentQueue<string> SavedKeys { get; } = new();

    /// <summary>Counts the saves of whole chapter files (not of the segments kept while a chapter is spoken).</summary>
    public int ChapterSaves => SavedKeys.Count(k => !k.Contains("/segment", StringComparison.Ordinal) && !k.EndsWith(".vtt", StringComparison.Ordinal));

    /// <inheritdoc/>
    public bool ServesDirectUrls => false;

    /// <inheritdoc/>
    public async Task<StoredObject> SaveAsync(StorageKey key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        Interlocked.Increment(ref _saves);
        SavedKeys.Enqueue(key.Value);
        Objects[key.Value] = (buffer.ToArray(), contentType);
        return new StoredObject(key, "memory://" + key.Value, buffer.Length);
    }

    /// <inheritdoc/>
    public Task<Stream?> OpenReadAsync(StorageKey key, CancellationToken cancellationToken = default)
        => Task.FromResult<Stream?>(Objects.TryGetValue(key.Value, out var o) ? new MemoryStream(o.Bytes, writable: false) : null);

    /// <inheritdoc/>
    public Task<Uri> GetUrlAsync(StorageKey key, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
        => Task.FromResult(new Uri("memory://storage/" + key.Value));

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(StorageKey key, CancellationToken cancellationToken = default)
        => Task.FromResult(Objects.TryRemove(key.Value, out _));

    /// <inheritdoc/>
    public Task<int> DeleteUnderAsync(StorageKey folder, CancellationToken cancellationToken = default)
        => Task.FromResult(Objects.Keys.Where(k => k.StartsWith(folder.Value + "/", StringComparison.Ordinal)).Count(k => Objects.TryRemove(k, out _)));

    /// <inheritdoc/>
    public Task<bool> ExistsAsync(StorageKey key, CancellationToken cancellationToken = default)
        => Task.FromResult(Objects.ContainsKey(key.Value));
}
