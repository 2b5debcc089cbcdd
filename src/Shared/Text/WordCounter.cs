using System.Text;

namespace BookBytes.Internal.Text;

/// <summary>
/// Counts the words of a text in any script, for checking a summary's length against
/// <c>Summary:Words</c>. Words are runs of characters between white space, except in scripts written
/// without spaces between words: Chinese and Japanese characters count as two words per three
/// characters, and Thai, Lao, Khmer and Myanmar letters as one word per four (their usual lengths), so a
/// summary of about N words counts near N in every language. Stateless and thread-safe. Shared source: the pipeline
/// checks summaries with it and the local package's extractive summaries are cut to it, so both count alike.
/// </summary>
internal static class WordCounter
{
    public static int Count(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        var words = 0;
        var ideographs = 0;
        var southeastAsian = 0;
        var counted = false; // whether the current run between separators has been counted
        foreach (var rune in text.EnumerateRunes())
        {
            switch (Classify(rune))
            {
                case Script.Ideographic:
                    ideographs++;
                    counted = false;
                    break;
                case Script.SoutheastAsian:
                    southeastAsian++;
                    counted = false;
                    break;
                case Script.Separator:
                    counted = false;
                    break;
                default:
                    // A run counts once it has a letter or digit, so a lone dash or ellipsis is no word.
                    if (!counted && Rune.IsLetterOrDigit(rune))
                    {
                        words++;
                        counted = true;
                    }

                    break;
            }
        }

        return words
            + (int)Math.Round(ideographs / 1.5, MidpointRounding.AwayFromZero)
            + (int)Math.Round(southeastAsian / 4.0, MidpointRounding.AwayFromZero);
    }

    private static Script Classify(Rune rune)
    {
        var c = rune.Value;
        if (Rune.IsWhiteSpace(rune)
            || c is >= 0x3000 and <= 0x303F // CJK symbols and punctuation
            || c is >= 0xFF00 and <= 0xFF65) // full-width punctuation and forms
        {
            return Script.Separator;
        }

        if (c is (>= 0x3040 and <= 0x30FF) // hiragana, katakana
            or (>= 0x31F0 and <= 0x31FF) // katakana extensions
            or (>= 0x3400 and <= 0x4DBF) // CJK extension A
            or (>= 0x4E00 and <= 0x9FFF) // CJK unified ideographs
            or (>= 0xF900 and <= 0xFAFF) // CJK compatibility ideographs
            or (>= 0xFF66 and <= 0xFF9F) // half-width katakana
            or (>= 0x20000 and <= 0x3FFFF)) // CJK extensions B and later
        {
            return Script.Ideographic;
        }

        if (c is (>= 0x0E00 and <= 0x0EFF) // Thai, Lao
            or (>= 0x1000 and <= 0x109F) // Myanmar
            or (>= 0x1780 and <= 0x17FF)) // Khmer
        {
            return Script.SoutheastAsian;
        }

        return Script.Spaced;
    }

    private enum Script
    {
        Spaced,
        Separator,
        Ideographic,
        SoutheastAsian,
    }
}
