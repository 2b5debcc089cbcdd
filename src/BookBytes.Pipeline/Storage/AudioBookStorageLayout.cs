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

    /// <summary>Gets the prefix under which all files of one audiobook version are stored, ending with a slash.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The audiobook version, from 1.</param>
    /// <returns>The prefix, for example <c>audiobooks/{id}/v2/</c>.</returns>
    public static string VersionPrefix(Guid audioBookId, int version)
        => string.Create(CultureInfo.InvariantCulture, $"audiobooks/{audioBookId:D}/v{version}/");
}
