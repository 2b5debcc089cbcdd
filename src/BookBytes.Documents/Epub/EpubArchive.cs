using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace BookBytes.Documents.Epub;

/// <summary>
/// The zip inside an EPUB, read in memory under <see cref="DocumentLimits"/>: entry count, per-entry compression
/// ratio (declared and as inflated) and the running total of inflated bytes, counted while inflating. Nothing is
/// written to disk; entries are looked up by name only.
/// </summary>
/// <remarks>Not thread-safe: one instance reads one document.</remarks>
internal sealed class EpubArchive : IDisposable
{
    // Below this an entry is never refused for its ratio: a tiny, repetitive file may compress far better than text.
    private const long RatioFloor = 64 * 1024;

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private readonly DocumentLimits _limits;
    private readonly CancellationToken _cancellationToken;
    private long _inflated;

    private EpubArchive(ZipArchive zip, DocumentLimits limits, CancellationToken cancellationToken)
    {
        _zip = zip;
        _limits = limits;
        _cancellationToken = cancellationToken;
        if (zip.Entries.Count > limits.MaxEntries)
        {
            throw new DocumentException($"The EPUB has {zip.Entries.Count} entries; at most {limits.MaxEntries} are accepted.", ErrorCodes.DocumentTooLarge);
        }

        foreach (var entry in zip.Entries)
        {
            _entries.TryAdd(entry.FullName, entry);
        }
    }

    /// <summary>Opens the archive.</summary>
    /// <exception cref="DocumentException">It is not a zip, is truncated, or has too many entries.</exception>
    public static EpubArchive Open(ReadOnlyMemory<byte> content, DocumentLimits limits, CancellationToken cancellationToken)
    {
        if (DeclaredEntries(content.Span) is { } declared && declared > limits.MaxEntries)
        {
            // Refused before the central directory is read into memory.
            throw new DocumentException($"The EPUB's central directory has room for {(declared == long.MaxValue ? "an unknown number of" : declared)} entries; at most {limits.MaxEntries} are accepted.", ErrorCodes.DocumentTooLarge);
        }

        var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        try
        {
            return new EpubArchive(new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false), limits, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            stream.Dispose();
            throw new DocumentException("The EPUB is not a readable zip archive (it is truncated or damaged).", ErrorCodes.DocumentInvalid, ex);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    // How many entries the archive can hold, from its end-of-central-directory record (the last 22 bytes plus a
    // comment of up to 64 KiB), or the Zip64 record it points to: the larger of the declared count and what the
    // central directory's size leaves room for (each entry takes at least 46 bytes), so a falsely small count does
    // not let a huge directory through. Null when no record is found (the zip reader then refuses the archive).
    private static long? DeclaredEntries(ReadOnlySpan<byte> zip)
    {
        const int MinCentralEntry = 46;
        var lowest = Math.Max(0, zip.Length - 22 - 65535);
        for (var i = zip.Length - 22; i >= lowest; i--)
        {
            if (zip[i] != 'P' || zip[i + 1] != 'K' || zip[i + 2] != 5 || zip[i + 3] != 6)
            {
                continue;
            }

            long total = BinaryPrimitives.ReadUInt16LittleEndian(zip[(i + 10)..]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(zip[(i + 12)..]);
            if ((total == 0xFFFF || size == 0xFFFFFFFF) && i >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(zip[(i - 20)..]) == 0x07064B50)
            {
                // Zip64: the locator before the record gives the Zip64 record's offset, whose counts are 8 bytes.
                var offset = BinaryPrimitives.ReadUInt64LittleEndian(zip[(i - 12)..]);
                if (offset > (ulong)(zip.Length - 56) || BinaryPrimitives.ReadUInt32LittleEndian(zip[(int)offset..]) != 0x06064B50)
                {
                    return long.MaxValue;
                }

                total = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(zip[((int)offset + 32)..]), long.MaxValue);
                size = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(zip[((int)offset + 40)..]), long.MaxValue);
            }

            return Math.Max(total, size / MinCentralEntry);
        }

        return null;
    }

    /// <summary>Gets whether the archive has an entry of that name.</summary>
    public bool Contains(string path) => _entries.ContainsKey(path);

    /// <summary>Inflates an entry, or returns <see langword="null"/> when there is none of that name.</summary>
    /// <exception cref="DocumentException">The entry breaks a limit or cannot be inflated.</exception>
    public byte[]? TryRead(string path)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (!_entries.TryGetValue(path, out var entry))
        {
            return null;
        }

        var allowed = Math.Max(RatioFloor, (long)Math.Min(long.MaxValue / 2, entry.CompressedLength * _limits.MaxCompressionRatio));
        if (entry.Length > allowed)
        {
            throw TooLarge($"Its entry {path} declares {entry.Length} bytes from {entry.CompressedLength} compressed, a ratio over {_limits.MaxCompressionRatio}.");
        }

        if (_inflated + entry.Length > _limits.MaxUncompressedBytes)
        {
            throw TooLarge($"Its entries inflate to more than {_limits.MaxUncompressedBytes} bytes.");
        }

        try
        {
            using var source = entry.Open();
            using var target = new MemoryStream((int)Math.Min(entry.Length, 16 * 1024 * 1024));
            var buffer = new byte[81920];
            long read = 0;
            int n;
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                // Counted as inflated, not as declared: a header may lie about the size.
                read += n;
                _inflated += n;
                if (read > allowed)
                {
                    throw TooLarge($"Its entry {path} inflates past a compression ratio of {_limits.MaxCompressionRatio}.");
                }

                if (_inflated > _limits.MaxUncompressedBytes)
                {
                    throw TooLarge($"Its entries inflate to more than {_limits.MaxUncompressedBytes} bytes.");
                }

                if ((read & 0xFFFFF) < n)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                }

                target.Write(buffer, 0, n);
            }

            return target.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DocumentException($"The EPUB's entry {path} cannot be inflated: the archive is damaged.", ErrorCodes.DocumentInvalid, ex);
        }
    }

    /// <summary>Inflates an entry that must be there.</summary>
    /// <exception cref="DocumentException">There is no such entry (named with <paramref name="what"/>), or it breaks a limit.</exception>
    public byte[] Read(string path, string what)
        => TryRead(path) ?? throw new DocumentException($"The EPUB has no {what} ({path}).", ErrorCodes.DocumentInvalid);

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

    private static DocumentException TooLarge(string why) => new($"The EPUB is too large to read: {why}", ErrorCodes.DocumentTooLarge);
}
