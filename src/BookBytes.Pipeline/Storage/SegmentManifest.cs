using System.Text.Json;
using System.Text.Json.Serialization;
using BookBytes.Storage;

namespace BookBytes.Pipeline.Storage;

/// <summary>
/// The list of a chapter's stored segments while it is made (<c>…/chapter-NNN/segments.json</c>), rewritten as each segment
/// is stored: which audio makes the chapter so far, in order, and what text each says. A reader streams the segments in
/// order (<see cref="Index"/> 1, 2, …) while the chapter is made; a later attempt keeps the segments whose text it speaks
/// again. <see cref="Generation"/> changes when the chapter's speech is discarded and begun again (a refused summary).
/// </summary>
/// <param name="Generation">Which beginning of the chapter's speech the segments belong to.</param>
/// <param name="Format">The audio format's file extension.</param>
/// <param name="Segments">The stored segments, by <see cref="SegmentEntry.Index"/>.</param>
internal sealed record SegmentManifest(Guid Generation, string Format, IReadOnlyList<SegmentEntry> Segments)
{
    /// <summary>The most segments a manifest read back may list; more is not a manifest this code wrote.</summary>
    public const int MaxSegments = 10_000;

    /// <summary>The most bytes a manifest read back may have.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Serialises the manifest.</summary>
    /// <returns>The JSON bytes.</returns>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads a chapter's manifest, if it has one that can be read.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="key">The manifest's key.</param>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The manifest; <see langword="null"/> when there is none or it is not one (a half-written file on a store that is not atomic, or not this code's).</returns>
    /// <exception cref="StorageException">The storage failed.</exception>
    public static async Task<SegmentManifest?> ReadAsync(IStorageBackend storage, StorageKey key, CancellationToken cancellationToken)
    {
        var stream = await storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81_920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            try
            {
                var manifest = JsonSerializer.Deserialize<SegmentManifest>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Json);
                return manifest is { Segments: not null, Format: not null } && manifest.Segments.Count <= MaxSegments && manifest.Segments.All(s => s is { Key: not null, Text: not null, Index: > 0 })
                    ? manifest
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}

/// <summary>One stored segment of a chapter being made.</summary>
/// <param name="Index">Its place in the chapter, from 1.</param>
/// <param name="Key">Its storage key.</param>
/// <param name="Text">The text it says.</param>
/// <param name="Length">Its size in bytes.</param>
internal sealed record SegmentEntry(int Index, string Key, string Text, long Length);
