using System.Runtime.CompilerServices;
using BookBytes.AudioBooks;
using BookBytes.Pipeline.Storage;
using BookBytes.Storage;

namespace BookBytes.Pipeline.Processing;

/// <summary>
/// A chapter's audio read while the chapter is made (<see cref="ProcessingService.OpenChapterAudioInProgressAsync"/>): its
/// stored segments in order, then each new one as it lands, then — once the chapter's file is stored — the rest of that
/// file, so a reader gets exactly the bytes of the finished chapter. Only formats whose chapter file is its segments one
/// after another are read so (MP3, AAC, PCM).
/// </summary>
public sealed class ChapterAudioInProgress
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly IAudioBookStore _books;
    private readonly IStorageBackend _storage;
    private readonly TimeProvider _time;
    private readonly Guid _audioBookId;
    private readonly int _version;
    private readonly int _chapterNumber;
    private readonly TimeSpan _idleLimit;
    private readonly StorageKey _manifestKey;

    private ChapterAudioInProgress(IAudioBookStore books, IStorageBackend storage, TimeProvider time, Guid audioBookId, int version, int chapterNumber, string contentType, TimeSpan idleLimit)
    {
        _books = books;
        _storage = storage;
        _time = time;
        _audioBookId = audioBookId;
        _version = version;
        _chapterNumber = chapterNumber;
        _idleLimit = idleLimit;
        ContentType = contentType;
        _manifestKey = AudioBookStorageLayout.ChapterSegments(audioBookId, version, chapterNumber);
    }

    /// <summary>Gets the audio's media type, for example <c>audio/mpeg</c>.</summary>
    public string ContentType { get; }

    /// <summary>Reads the chapter's audio to its end, waiting for each new segment.</summary>
    /// <param name="cancellationToken">A token that ends the reading.</param>
    /// <returns>The bytes, in order, a piece at a time.</returns>
    /// <exception cref="BookBytesException">
    /// <see cref="ErrorCodes.AudioNotReady"/>: the audio given so far was discarded (the chapter's text was refused and is being
    /// made again), the chapter failed, or nothing new came for the idle limit; what was read is not the chapter.
    /// </exception>
    /// <exception cref="StorageException">The storage failed.</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long sent = 0;
        var next = 1;

        // What was sent, hashed: before the rest of the stored file follows, the file's first bytes must be these.
        using var given = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Guid? generation = null;
        var lastProgress = _time.GetTimestamp();
        while (true)
        {
            var progressed = false;
            var manifest = await SegmentManifest.ReadAsync(_storage, _manifestKey, cancellationToken).ConfigureAwait(false);
            if (manifest is not null)
            {
                if (generation is Guid known && manifest.Generation != known && sent > 0)
                {
                    throw Broken("the audio given so far was discarded: the chapter's text was refused and is being made again");
                }

                generation = manifest.Generation;
                foreach (var entry in manifest.Segments.Where(s => s.Index >= next).OrderBy(s => s.Index))
                {
                    if (entry.Index != next || !AudioBookStorageLayout.IsChapterSegment(entry.Key, _audioBookId, _version, _chapterNumber))
                    {
                        break;
                    }

                    var segment = await ReadAllAsync(StorageKey.Parse(entry.Key), cancellationToken).ConfigureAwait(false);
                    if (segment is null)
                    {
                        break; // removed: the chapter's file is stored, or its speech was discarded
                    }

                    sent += segment.Length;
                    given.AppendData(segment);
                    next++;
                    progressed = true;
                    yield return segment;
                }
            }

            if (progressed)
            {
                lastProgress = _time.GetTimestamp();
                continue;
            }

            var chapter = (await _books.GetChaptersAsync(_audioBookId, _version, cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Number == _chapterNumber);
            if (chapter is { Status: ChapterStatus.Completed, AudioKey: not null } && StorageKey.TryParse(chapter.AudioKey, out var key))
            {
                await foreach (var piece in RestOfAsync(key, sent, given.GetHashAndReset(), cancellationToken).ConfigureAwait(false))
                {
                    yield return piece;
                }

                yield break;
            }

            if (chapter is null or { Status: ChapterStatus.Failed })
            {
                throw Broken("the chapter failed");
            }

            if (_time.GetElapsedTime(lastProgress) > _idleLimit)
            {
                throw Broken("nothing new came for " + _idleLimit.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " s");
            }

            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits, within <paramref name="wait"/>, until a chapter being made has its first segment or its file, and opens it for
    /// reading on.
    /// </summary>
    /// <returns>The reader; <see langword="null"/> when nothing came in time, the chapter failed, or its format is not read while it is made.</returns>
    internal static async Task<ChapterAudioInProgress?> OpenAsync(
        IAudioBookStore books, IStorageBackend storage, TimeProvider time, Guid audioBookId, int version, int chapterNumber, TimeSpan wait, TimeSpan idleLimit, CancellationToken cancellationToken)
    {
        var manifestKey = AudioBookStorageLayout.ChapterSegments(audioBookId, version, chapterNumber);
        var started = time.GetTimestamp();
        while (true)
        {
            var manifest = await SegmentManifest.ReadAsync(storage, manifestKey, cancellationToken).ConfigureAwait(false);
            string? extension = null;
            if (manifest is not null && manifest.Segments.Any(s => s.Index == 1 && AudioBookStorageLayout.IsChapterSegment(s.Key, audioBookId, version, chapterNumber)))
            {
                extension = manifest.Format;
            }
            else
            {
                var chapter = (await books.GetChaptersAsync(audioBookId, version, cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Number == chapterNumber);
                if (chapter is null or { Status: ChapterStatus.Failed })
                {
                    return null;
                }

                if (chapter is { Status: ChapterStatus.Completed, AudioKey: not null })
                {
                    extension = Path.GetExtension(chapter.AudioKey).TrimStart('.');
                }
            }

            if (extension is not null)
            {
                return Tts.AudioFormatExtensions.TryParse(extension, out var format) && Audio.AudioJoiner.CanStream(format)
                    ? new ChapterAudioInProgress(books, storage, time, audioBookId, version, chapterNumber, Tts.AudioFormatExtensions.GetContentType(format), idleLimit)
                    : null;
            }

            if (time.GetElapsedTime(started) >= wait)
            {
                return null;
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The stored file from `offset` on, once its first `offset` bytes are found to be those sent (`sentHash`): a chapter whose
    // speech was discarded and made again while a slow reader held older segments is not stitched together from both.
    private async IAsyncEnumerable<ReadOnlyMemory<byte>> RestOfAsync(StorageKey key, long offset, byte[] sentHash, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await _storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageException($"The audio at {key} disappeared while it was read.", isTransient: true);
        await using (stream.ConfigureAwait(false))
        {
            using var prefix = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[81_920];
            long skipped = 0;
            var checkedPrefix = offset == 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var start = 0;
                if (skipped < offset)
                {
                    var skip = (int)Math.Min(read, offset - skipped);
                    prefix.AppendData(buffer, 0, skip);
                    skipped += skip;
                    start = skip;
                }

                if (!checkedPrefix && skipped == offset)
                {
                    if (!prefix.GetHashAndReset().AsSpan().SequenceEqual(sentHash))
                    {
                        throw Broken("the audio given so far was discarded: the chapter's text was refused and made again");
                    }

                    checkedPrefix = true;
                }

                if (start < read)
                {
                    yield return buffer.AsMemory(start, read - start).ToArray();
                }
            }

            if (skipped < offset)
            {
                throw Broken("the stored chapter is shorter than the audio given while it was made");
            }
        }
    }

    private async Task<byte[]?> ReadAllAsync(StorageKey key, CancellationToken cancellationToken)
    {
        var stream = await _storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    private BookBytesException Broken(string reason)
        => new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Chapter {_chapterNumber} of audiobook {_audioBookId} cannot be read on: {reason}."), ErrorCodes.AudioNotReady);
}
