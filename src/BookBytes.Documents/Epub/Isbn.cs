namespace BookBytes.Documents.Epub;

/// <summary>Finds an ISBN-13 in an identifier: <c>urn:isbn:</c>, <c>isbn:</c> or bare, hyphens and spaces ignored; an ISBN-10 is converted. Check digits are verified. Thread-safe.</summary>
internal static class Isbn
{
    /// <summary>Gets the ISBN-13 the identifier holds, or <see langword="null"/>.</summary>
    public static string? ToIsbn13(string identifier)
    {
        var s = identifier.Trim();
        foreach (var prefix in (string[])["urn:isbn:", "isbn:", "isbn"])
        {
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                s = s[prefix.Length..];
                break;
            }
        }

        s = s.Replace("-", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (s.Length == 13 && s.All(char.IsAsciiDigit) && (s.StartsWith("978", StringComparison.Ordinal) || s.StartsWith("979", StringComparison.Ordinal)))
        {
            return Check13(s[..12]) == s[12] - '0' ? s : null;
        }

        if (s.Length == 10 && s[..9].All(char.IsAsciiDigit) && (char.IsAsciiDigit(s[9]) || s[9] == 'X'))
        {
            var sum = 0;
            for (var i = 0; i < 10; i++)
            {
                sum += (10 - i) * (s[i] == 'X' ? 10 : s[i] - '0');
            }

            if (sum % 11 != 0)
            {
                return null;
            }

            var stem = "978" + s[..9];
            return stem + (char)('0' + Check13(stem));
        }

        return null;
    }

    private static int Check13(string twelve)
    {
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (twelve[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return (10 - (sum % 10)) % 10;
    }
}
