using System.Globalization;
using BookBytes.Storage;

namespace BookBytes.Pipeline.Storage;

/// <summary>Where the pipeline keeps an audiobook's files: <c>audiobooks/{audioBookId}/v{version}/…</c>.</summary>
internal static class AudioBookStorageLayout
{
    /// <summary>Gets the key of a chapter's audio: <c>audiobooks/{audioBookId}/v{version}/chapter-{NNN}.{extension}</c>.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The audiobook version, from 1.</param>
    /// <param name="chapterNumber">The chapter number, from 1.</param>
    /// <param name="extension">The file extension without a dot, for example <c>mp3</c>.</param>
    /// <returns>The key.</returns>
    public static StorageKey ChapterAudio(Guid audioBookId, int version, int chapterNumber, string extension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chapterNumber, 1);
        return StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"{VersionPrefix(audioBookId, version)}chapter-{chapterNumber:D3}.{extension}"));
    }

    /// <summary>Gets the key of a chapter's WebVTT transcript, beside its audio: <c>audiobooks/{audioBookId}/v{version}/chapter-{NNN}.vtt</c>.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The audiobook version, from 1.</param>
    /// <param name="chapterNumber">The chapter number, from 1.</param>
    /// <returns>The key.</returns>
    public static StorageKey Transcript(Guid audioBookId, int version, int chapterNumber) => ChapterAudio(audioBookId, version, chapterNumber, "vtt");

    /// <summary>Gets the key of a version's one-file package: <c>audiobooks/{audioBookId}/v{version}/book.{m4b|mp3}</c>.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The audiobook version, from 1.</param>
    /// <param name="format">The package format.</param>
    /// <returns>The key.</returns>
    public static StorageKey Package(Guid audioBookId, int version, BookBytes.Packaging.PackageFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"{VersionPrefix(audioBookId, version)}book.{BookBytes.Packaging.PackageFormatExtensions.GetFileExtension(format)}"));
    }

    /// <summary>
    /// Gets the key of one synthesized chunk of a chapter, kept until the chapter's file is stored:
    /// <c>audiobooks/{audioBookId}/v{version}/chapter-{NNN}/segment-{MMM}-{hash}.{extension}</c>. The hash (of the voice,
    /// the format and the chunk's text) makes a segment of other text — after a setting changed — never be taken for this one.
    /// </summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The audiobook version, from 1.</param>
    /// <param name="chapterNumber">The chapter number, from 1.</param>
    /// <param name="segment">The chunk's place in the chapter, from 1.</param>
    /// <param name="voice">The voice it is spoken in.</param>
    /// <param name="text">The chunk's text.</param>
    /// <param name="extension">The file extension without a dot, for example <c>mp3</c>.</param>
    /// <returns>The key.</returns>
    public static StorageKey ChapterSegment(Guid audioBookId, int version, int chapterNumber, int segment, string voice, string text, string extension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segment, 1);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{voice}\n{extension}\n{text}"));
        var tag = Convert.ToHexStringLower(hash.AsSpan(0, 4));
        return StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"{VersionPrefix(audioBookId, version)}chapter-{chapterNumber:D3}/segment-{segment:D3}-{tag}.{extension}"));
    }

    /// <summary>
    /// Gets the key of the list of a chapter's stored segments while it is made (<see cref="SegmentManifest"/>):
    /// <c>audiobooks/{audioBookId}/v{version}/chapter-{NNN}/segments.json</c>.
    /// </summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The audiobook version, from 1.</param>
    /// <param name="chapterNumber">The chapter number, from 1.</param>
    /// <returns>The key.</returns>
    public static StorageKey ChapterSegments(Guid audioBookId, int version, int chapterNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chapterNumber, 1);
        return StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"{VersionPrefix(audioBookId, version)}chapter-{chapterNumber:D3}/segments.json"));
    }

    /// <summary>Tells whether a key lies in a chapter's folder of segments: a manifest read back names no other object.</summary>
    /// <param name="key">The key.</param>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The audiobook version.</param>
    /// <param name="chapterNumber">The chapter number.</param>
    /// <returns><see langword="true"/> when the key is a segment of that chapter.</returns>
    public static bool IsChapterSegment(string key, Guid audioBookId, int version, int chapterNumber)
        => key.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{VersionPrefix(audioBookId, version)}chapter-{chapterNumber:D3}/segment-"), StringComparison.Ordinal)
            && StorageKey.TryParse(key, out _);

    /// <summary>
    /// Gets the key of one part summary of a long chapter, kept until the chapter's summary is stored:
    /// <c>audiobooks/{audioBookId}/v{version}/chapter-{NNN}/part-{MMM}-{hash}.json</c>. The hash (of what the part was asked
    /// with) makes a part of other text — after a setting changed — never be taken for this one.
    /// </summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The audiobook version, from 1.</param>
    /// <param name="chapterNumber">The chapter number, from 1.</param>
    /// <param name="part">The part's place in the chapter, from 1.</param>
    /// <param name="request">What the part was asked with (its target words and text).</param>
    /// <returns>The key.</returns>
    public static StorageKey ChapterPart(Guid audioBookId, int version, int chapterNumber, int part, string request)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(part, 1);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(request));
        var tag = Convert.ToHexStringLower(hash.AsSpan(0, 4));
        return StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"{VersionPrefix(audioBookId, version)}chapter-{chapterNumber:D3}/part-{part:D3}-{tag}.json"));
    }

    /// <summary>Gets the folder key under which every file of an audiobook is stored, every version included: <c>audiobooks/{audioBookId}</c>.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <returns>The folder key, for <see cref="IStorageBackend.DeleteUnderAsync"/>.</returns>
    public static StorageKey Folder(Guid audioBookId) => StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"audiobooks/{audioBookId:D}"));

    /// <summary>Gets the prefix under which all files of one audiobook version are stored, ending with a slash.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The audiobook version, from 1.</param>
    /// <returns>The prefix, for example <c>audiobooks/{id}/v2/</c>.</returns>
    public static string VersionPrefix(Guid audioBookId, int version)
        => string.Create(CultureInfo.InvariantCulture, $"audiobooks/{audioBookId:D}/v{version}/");
}
