using System.IO.Compression;
using System.Runtime.InteropServices;

namespace BookBytes.Documents.Pdf;

/// <summary>
/// Inflates every Flate-encoded stream of a PDF once, counting, before PdfPig reads it: PdfPig inflates streams
/// without a bound, so a small file of crafted streams (chained filters multiply the ratio) could exhaust memory. The
/// total must stay under <see cref="DocumentLimits.MaxUncompressedBytes"/>, and one stream may inflate past
/// <see cref="StreamFloorBytes"/> only within <see cref="DocumentLimits.MaxCompressionRatio"/> of its encoded size (a
/// scanned page's bitmap compresses far better than text, so small streams are never judged by ratio). Streams the
/// scan cannot inflate (another filter, broken data) are left for PdfPig to judge.
/// </summary>
/// <remarks>Other encodings (LZW, run-length) are not counted here; they are rare in books and documented as such.</remarks>
internal static class PdfStreamBudget
{
    /// <summary>A stream inflating to less than this is never refused for its ratio.</summary>
    internal const int StreamFloorBytes = 4 * 1024 * 1024;

    /// <exception cref="DocumentException">The streams inflate past a limit (<see cref="ErrorCodes.DocumentTooLarge"/>).</exception>
    public static void Check(ReadOnlyMemory<byte> pdf, DocumentLimits limits, CancellationToken cancellationToken)
    {
        var bytes = MemoryMarshal.TryGetArray(pdf, out var segment) ? segment : new ArraySegment<byte>(pdf.ToArray());
        var span = bytes.AsSpan();
        long total = 0;
        var buffer = new byte[81920];
        var position = 0;
        while (true)
        {
            var found = span[position..].IndexOf("stream"u8);
            if (found < 0)
            {
                return;
            }

            var keyword = position + found;
            position = keyword + 6;
            if (keyword >= 3 && span[(keyword - 3)..keyword].SequenceEqual("end"u8))
            {
                continue;
            }

            // The data starts after the keyword's end of line and runs to "endstream".
            var start = position;
            if (start < span.Length && span[start] == '\r')
            {
                start++;
            }

            if (start < span.Length && span[start] == '\n')
            {
                start++;
            }

            var end = span[start..].IndexOf("endstream"u8);
            if (end < 0)
            {
                return;
            }

            var dictionaryStart = span[..keyword].LastIndexOf("obj"u8);
            var dictionary = span[Math.Max(0, dictionaryStart)..keyword];
            var flates = Count(dictionary, "/FlateDecode"u8);
            position = start + end + 9;
            if (flates == 0)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            total += Inflate(bytes.Array!, bytes.Offset + start, end, Math.Min(flates, 4), buffer, limits, total);
        }
    }

    private static long Inflate(byte[] array, int offset, int length, int layers, byte[] buffer, DocumentLimits limits, long before)
    {
        long inflated = 0;
        var allowed = Math.Max(StreamFloorBytes, (long)(length * limits.MaxCompressionRatio));
        try
        {
            Stream stream = new MemoryStream(array, offset, length, writable: false);
            for (var i = 0; i < layers; i++)
            {
                stream = new ZLibStream(stream, CompressionMode.Decompress);
            }

            using (stream)
            {
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    inflated += read;
                    if (inflated > allowed)
                    {
                        throw new DocumentException($"A stream of the PDF inflates more than {limits.MaxCompressionRatio} times its size (a decompression bomb).", ErrorCodes.DocumentTooLarge);
                    }

                    if (before + inflated > limits.MaxUncompressedBytes)
                    {
                        throw new DocumentException($"The PDF's streams inflate to more than {limits.MaxUncompressedBytes} bytes.", ErrorCodes.DocumentTooLarge);
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            // Not Flate data after all, or broken: what was inflated is counted; PdfPig decides about the rest.
        }

        return inflated;
    }

    private static int Count(ReadOnlySpan<byte> text, ReadOnlySpan<byte> value)
    {
        var count = 0;
        for (var i = text.IndexOf(value); i >= 0; i = text[(i + value.Length)..].IndexOf(value) is var next and >= 0 ? i + value.Length + next : -1)
        {
            count++;
        }

        return count;
    }
}
