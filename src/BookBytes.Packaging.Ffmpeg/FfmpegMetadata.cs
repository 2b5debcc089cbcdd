using System.Globalization;
using System.Text;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>
/// Writes an <c>;FFMETADATA1</c> file (ffmpeg's metadata format): the book's tags, then one <c>[CHAPTER]</c> section per
/// chapter in milliseconds. Every value is cleaned by <see cref="TagText"/> and escaped, so no value can start a key,
/// a section or a comment.
/// </summary>
internal static class FfmpegMetadata
{
    /// <summary>The tags written for <paramref name="tags"/>, in order, empty values left out.</summary>
    /// <param name="tags">The book's tags.</param>
    /// <param name="language">The ISO 639-2 code, or <see langword="null"/> to leave it out.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Tags(PackageTags tags, string? language)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var title = TagText.Clean(tags.Title, TagText.MaxTitleLength);
        var authors = TagText.Clean(string.Join(", ", (tags.Authors ?? []).Select(a => TagText.Clean(a)).Where(a => a.Length > 0)));
        var narrator = TagText.Clean(tags.Narrator, TagText.MaxTitleLength);
        var description = TagText.Clean(tags.Description);
        var comment = TagText.Clean(narrator.Length == 0 ? description : description.Length == 0 ? $"Read by {narrator}" : $"Read by {narrator}. {description}");
        var list = new List<KeyValuePair<string, string>>
        {
            new("title", title),
            new("album", title),
            new("artist", authors),
            new("album_artist", authors),
            new("date", tags.Year is { } year and > 0 and < 10_000 ? year.ToString(CultureInfo.InvariantCulture) : string.Empty),
            new("genre", TagText.Clean(tags.Genre, TagText.MaxTitleLength)),
            new("composer", narrator),
            new("comment", comment),
            new("description", description),
            new("publisher", TagText.Clean(tags.Publisher, TagText.MaxTitleLength)),
            new("language", language ?? string.Empty),
        };
        return list.Where(t => t.Value.Length > 0).ToList();
    }

    /// <summary>Writes the file at <paramref name="path"/> (UTF-8 without a byte order mark).</summary>
    public static async Task WriteAsync(string path, IReadOnlyList<KeyValuePair<string, string>> tags, IReadOnlyList<PackageChapterMark> chapters, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16_384, FileOptions.Asynchronous);
        var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16_384);
        await using (writer.ConfigureAwait(false))
        {
            writer.NewLine = "\n";
            await writer.WriteLineAsync(";FFMETADATA1").ConfigureAwait(false);
            foreach (var (key, value) in tags)
            {
                await writer.WriteLineAsync($"{key}={Escape(value)}".AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            foreach (var chapter in chapters)
            {
                // Both ends from the running sum in seconds, so one chapter's end is the next one's start exactly.
                var start = Milliseconds(chapter.StartSeconds);
                var end = Milliseconds(chapter.StartSeconds + chapter.DurationSeconds);
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[CHAPTER]\nTIMEBASE=1/1000\nSTART={start}\nEND={end}\ntitle={Escape(chapter.Title)}").AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Escapes <c>=</c>, <c>;</c>, <c>#</c>, <c>\</c> and line breaks with a backslash, as the format asks.</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '=' or ';' or '#' or '\\' or '\n' or '\r')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>Rounds seconds to whole milliseconds.</summary>
    public static long Milliseconds(double seconds) => (long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero);
}
