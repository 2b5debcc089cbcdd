namespace BookBytes.Documents;

/// <summary>Counting words of document text, the same way for every reader.</summary>
public static class DocumentText
{
    /// <summary>
    /// Counts the words of <paramref name="paragraphs"/>: runs of letters or digits separated by anything else;
    /// in unspaced scripts (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) two words per three characters.
    /// </summary>
    /// <param name="paragraphs">The paragraphs.</param>
    /// <returns>The word count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paragraphs"/> is <see langword="null"/>.</exception>
    public static int CountWords(IEnumerable<string> paragraphs)
    {
        ArgumentNullException.ThrowIfNull(paragraphs);
        long words = 0;
        long unspaced = 0;
        foreach (var paragraph in paragraphs)
        {
            var inWord = false;
            foreach (var c in paragraph)
            {
                if (IsUnspaced(c))
                {
                    unspaced++;
                    inWord = false;
                }
                else if (char.IsLetterOrDigit(c))
                {
                    if (!inWord)
                    {
                        words++;
                        inWord = true;
                    }
                }
                else if (c is not ('\'' or '’' or '-' or '\u00AD'))
                {
                    inWord = false;
                }
            }
        }

        return (int)Math.Min(int.MaxValue, words + ((unspaced * 2) + 2) / 3);
    }

    private static bool IsUnspaced(char c)
        => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF')
            or (>= '\u0E00' and <= '\u0EFF') or (>= '\u1000' and <= '\u109F') or (>= '\u1780' and <= '\u17FF');
}
