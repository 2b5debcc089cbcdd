using System.Text;

namespace BookBytes.Providers.Local.Speech;

/// <summary>
/// Text for Flite and Festival, which read bytes as ASCII or ISO-8859-1: book typography (curly quotes, dashes, ellipses,
/// non-breaking spaces) becomes its ASCII form, so "don’t" is not spoken as "don t" or with a stray sound.
/// </summary>
internal static class EnglishText
{
    public static string Plain(string text)
    {
        var plain = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' => plain.Append('\''),
                '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' => plain.Append('"'),
                '\u2013' or '\u2014' or '\u2015' or '\u2212' => plain.Append(" - "),
                '\u2026' => plain.Append("..."),
                '\u00A0' or '\u2007' or '\u2009' or '\u202F' => plain.Append(' '),
                '\u00AD' or '\u200B' or '\uFEFF' => plain,
                _ => plain.Append(c),
            };
        }

        return plain.ToString();
    }
}
