using System.Text;

namespace BookBytes.Documents.Text;

/// <summary>Telling text from binary and decoding it, the same way for the plain-text, HTML and Markdown readers.</summary>
internal static class TextDecoding
{
    // Strict: invalid sequences become U+FFFD instead of throwing, so a file with a few Latin-1 bytes still reads.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Whether the head of a content looks like text: UTF-16 with a byte-order mark, or UTF-8 (BOM or not) without NUL bytes and with few invalid sequences or control characters.</summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return false;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return true;
        }

        if (head.Contains((byte)0))
        {
            return false;
        }

        var bad = 0;
        var i = 0;
        while (i < head.Length)
        {
            var b = head[i];
            if (b < 0x80)
            {
                if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B))
                {
                    bad++;
                }

                i++;
                continue;
            }

            var length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
            if (length == 0 || b > 0xF4)
            {
                bad++;
                i++;
                continue;
            }

            var end = Math.Min(head.Length, i + length);
            var valid = true;
            for (var j = i + 1; j < end; j++)
            {
                if ((head[j] & 0xC0) != 0x80)
                {
                    valid = false;
                    break;
                }
            }

            // A sequence cut by the end of the head is not held against the content.
            if (!valid)
            {
                bad++;
                i++;
            }
            else
            {
                i = end;
            }
        }

        return bad * 20 <= head.Length;
    }

    /// <summary>Skips a UTF-8 byte-order mark and leading whitespace of an ASCII-compatible head.</summary>
    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        var i = 0;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0x0C)
        {
            i++;
        }

        return head[i..];
    }

    /// <summary>The head as ASCII-compatible text for signature checks: UTF-16 heads are decoded, others read as UTF-8.</summary>
    public static string HeadText(ReadOnlySpan<byte> head)
    {
        var even = head[..(head.Length & ~1)];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(even[2..]).TrimStart();
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(even[2..]).TrimStart();
        }

        return Utf8.GetString(TrimStart(head));
    }

    /// <summary>Decodes the content: UTF-16 when it starts with its byte-order mark, otherwise UTF-8 with invalid sequences replaced; line ends become <c>\n</c>.</summary>
    /// <exception cref="DocumentException">The text holds NUL characters: it is binary.</exception>
    public static string Decode(ReadOnlySpan<byte> content, bool normalizeLineEnds = true)
    {
        string text;
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            text = Encoding.Unicode.GetString(content[2..]);
        }
        else if (content.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            text = Encoding.BigEndianUnicode.GetString(content[2..]);
        }
        else
        {
            text = Utf8.GetString(content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? content[3..] : content);
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new DocumentException("The document is not text: it holds binary data.");
        }

        return normalizeLineEnds ? text.ReplaceLineEndings("\n") : text;
    }
}
