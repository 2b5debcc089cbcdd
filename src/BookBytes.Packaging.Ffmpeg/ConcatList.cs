using System.Text;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>Writes a list for ffmpeg's concat demuxer (<c>-f concat -safe 0</c>): one <c>file '…'</c> line per chapter file, in order.</summary>
internal static class ConcatList
{
    /// <summary>Writes the list at <paramref name="path"/>; the files are the packager's own, absolute paths.</summary>
    public static async Task WriteAsync(string path, IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16_384, FileOptions.Asynchronous);
        var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16_384);
        await using (writer.ConfigureAwait(false))
        {
            writer.NewLine = "\n";
            await writer.WriteLineAsync("ffconcat version 1.0").ConfigureAwait(false);
            foreach (var file in files)
            {
                await writer.WriteLineAsync($"file {Quote(file)}".AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Quotes a path as ffmpeg's tokenizer reads it: in single quotes, where nothing is special but the quote itself,
    /// which is closed, escaped and reopened (<c>'it'\''s'</c>).
    /// </summary>
    public static string Quote(string path) => "'" + path.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
}
