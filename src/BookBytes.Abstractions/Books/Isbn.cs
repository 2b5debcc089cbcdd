using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BookBytes.Books;

/// <summary>
/// An International Standard Book Number, validated and normalised to its 13-digit form.
/// </summary>
/// <remarks>
/// <para>
/// Parsing accepts ISBN-10 and ISBN-13 with any hyphens or spaces between the digits, an optional
/// <c>ISBN</c>, <c>ISBN-10</c> or <c>ISBN-13</c> prefix, and a lower- or upper-case <c>X</c> as the
/// ISBN-10 check digit. The check digit is always verified. An ISBN-10 is converted to its
/// <c>978</c>-prefixed ISBN-13; <see cref="TryGetIsbn10(out string?)"/> converts back where that exists.
/// </para>
/// <para>This is an immutable value type and is safe to share between threads. <c>default(Isbn)</c> is
/// not a valid ISBN: its <see cref="Value"/> is empty.</para>
/// </remarks>
public readonly struct Isbn : IEquatable<Isbn>, IComparable<Isbn>, IParsable<Isbn>, ISpanParsable<Isbn>
{
    private readonly string? _isbn13;

    private Isbn(string isbn13) => _isbn13 = isbn13;

    /// <summary>Gets the 13 digits of the ISBN, without separators; empty for <c>default(Isbn)</c>.</summary>
    public string Value => _isbn13 ?? string.Empty;

    /// <summary>Gets the ISBN-10 form of a <c>978</c>-prefixed ISBN, or <see langword="null"/> when it has none (<c>979</c> prefix).</summary>
    public string? Isbn10 => TryGetIsbn10(out var isbn10) ? isbn10 : null;

    /// <summary>Parses an ISBN-10 or ISBN-13.</summary>
    /// <param name="s">The text to parse, for example <c>978-0-306-40615-7</c> or <c>0-306-40615-2</c>.</param>
    /// <returns>The ISBN, normalised to 13 digits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid ISBN; the message says why.</exception>
    public static Isbn Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static Isbn Parse(ReadOnlySpan<char> s)
        => TryParseCore(s, out var isbn, out var error) ? isbn : throw new FormatException(error);

    /// <summary>Tries to parse an ISBN-10 or ISBN-13.</summary>
    /// <param name="s">The text to parse; <see langword="null"/> fails.</param>
    /// <param name="result">The ISBN normalised to 13 digits, when parsing succeeds.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a valid ISBN.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out Isbn result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParseCore(s, out result, out _);
    }

    /// <inheritdoc cref="TryParse(string?, out Isbn)"/>
    public static bool TryParse(ReadOnlySpan<char> s, out Isbn result) => TryParseCore(s, out result, out _);

    /// <summary>Tries to parse an ISBN and says why the text is not one.</summary>
    /// <param name="s">The text to parse.</param>
    /// <param name="result">The ISBN normalised to 13 digits, when parsing succeeds.</param>
    /// <param name="error">Why the text is not an ISBN, when parsing fails.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a valid ISBN.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, out Isbn result, [NotNullWhen(false)] out string? error)
        => TryParseCore(s, out result, out error);

    static Isbn IParsable<Isbn>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<Isbn>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Isbn result) => TryParse(s, out result);

    static Isbn ISpanParsable<Isbn>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<Isbn>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Isbn result) => TryParse(s, out result);

    /// <summary>Gets the ISBN-10 form, which exists only for <c>978</c>-prefixed ISBNs.</summary>
    /// <param name="isbn10">The ten characters of the ISBN-10 (the last may be <c>X</c>), when it exists.</param>
    /// <returns><see langword="true"/> when the ISBN has an ISBN-10 form.</returns>
    public bool TryGetIsbn10([NotNullWhen(true)] out string? isbn10)
    {
        if (_isbn13 is null || !_isbn13.StartsWith("978", StringComparison.Ordinal))
        {
            isbn10 = null;
            return false;
        }

        var body = _isbn13.AsSpan(3, 9);
        isbn10 = string.Concat(body, [Isbn10CheckCharacter(body)]);
        return true;
    }

    /// <summary>Returns the 13 digits without separators.</summary>
    /// <returns>The ISBN-13.</returns>
    public override string ToString() => Value;

    /// <inheritdoc/>
    public bool Equals(Isbn other) => string.Equals(_isbn13, other._isbn13, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Isbn other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _isbn13 is null ? 0 : StringComparer.Ordinal.GetHashCode(_isbn13);

    /// <inheritdoc/>
    public int CompareTo(Isbn other) => string.CompareOrdinal(_isbn13, other._isbn13);

    /// <summary>Compares two ISBNs for equality.</summary>
    /// <param name="left">The first ISBN.</param>
    /// <param name="right">The second ISBN.</param>
    /// <returns><see langword="true"/> when both have the same 13 digits.</returns>
    public static bool operator ==(Isbn left, Isbn right) => left.Equals(right);

    /// <summary>Compares two ISBNs for inequality.</summary>
    /// <param name="left">The first ISBN.</param>
    /// <param name="right">The second ISBN.</param>
    /// <returns><see langword="true"/> when the digits differ.</returns>
    public static bool operator !=(Isbn left, Isbn right) => !left.Equals(right);

    /// <summary>Orders two ISBNs by their digits.</summary>
    /// <param name="left">The first ISBN.</param>
    /// <param name="right">The second ISBN.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(Isbn left, Isbn right) => left.CompareTo(right) < 0;

    /// <summary>Orders two ISBNs by their digits.</summary>
    /// <param name="left">The first ISBN.</param>
    /// <param name="right">The second ISBN.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(Isbn left, Isbn right) => left.CompareTo(right) > 0;

    /// <summary>Orders two ISBNs by their digits.</summary>
    /// <param name="left">The first ISBN.</param>
    /// <param name="right">The second ISBN.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts first or equal.</returns>
    public static bool operator <=(Isbn left, Isbn right) => left.CompareTo(right) <= 0;

    /// <summary>Orders two ISBNs by their digits.</summary>
    /// <param name="left">The first ISBN.</param>
    /// <param name="right">The second ISBN.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts last or equal.</returns>
    public static bool operator >=(Isbn left, Isbn right) => left.CompareTo(right) >= 0;

    private static bool TryParseCore(ReadOnlySpan<char> s, out Isbn result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        var text = StripPrefix(s.Trim());

        Span<char> digits = stackalloc char[13];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '-' or ' ')
            {
                continue;
            }

            var isCheckX = c is 'X' or 'x';
            if (!char.IsAsciiDigit(c) && !isCheckX)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"An ISBN holds only digits, hyphens and spaces (and X as the ISBN-10 check digit); found '{c}' at position {i + 1}.");
                return false;
            }

            if (count == 13)
            {
                error = "An ISBN has 10 or 13 digits; this text has more than 13.";
                return false;
            }

            digits[count++] = isCheckX ? 'X' : c;
        }

        var body = digits[..count];
        var x = body.IndexOf('X');
        if (x >= 0 && !(count == 10 && x == 9))
        {
            error = "X may only stand as the last character of an ISBN-10.";
            return false;
        }

        switch (count)
        {
            case 10:
            {
                var expected = Isbn10CheckCharacter(body[..9]);
                if (body[9] != expected)
                {
                    error = $"The ISBN-10 check digit is wrong: expected '{expected}', found '{body[9]}'.";
                    return false;
                }

                Span<char> isbn13 = stackalloc char[13];
                "978".AsSpan().CopyTo(isbn13);
                body[..9].CopyTo(isbn13[3..]);
                isbn13[12] = Isbn13CheckCharacter(isbn13[..12]);
                result = new Isbn(isbn13.ToString());
                error = null;
                return true;
            }

            case 13:
            {
                if (!body.StartsWith("978") && !body.StartsWith("979"))
                {
                    error = "An ISBN-13 starts with 978 or 979.";
                    return false;
                }

                var expected = Isbn13CheckCharacter(body[..12]);
                if (body[12] != expected)
                {
                    error = $"The ISBN-13 check digit is wrong: expected '{expected}', found '{body[12]}'.";
                    return false;
                }

                result = new Isbn(body.ToString());
                error = null;
                return true;
            }

            case 0:
                error = "An ISBN is required.";
                return false;

            default:
                error = string.Create(CultureInfo.InvariantCulture, $"An ISBN has 10 or 13 digits; this one has {count}.");
                return false;
        }
    }

    private static ReadOnlySpan<char> StripPrefix(ReadOnlySpan<char> text)
    {
        if (!text.StartsWith("ISBN", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        text = text[4..];
        if (text.StartsWith("-13") || text.StartsWith("-10"))
        {
            text = text[3..];
        }

        text = text.TrimStart();
        if (text.StartsWith(':'))
        {
            text = text[1..];
        }

        return text.TrimStart();
    }

    private static char Isbn10CheckCharacter(ReadOnlySpan<char> first9)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (10 - i) * (first9[i] - '0');
        }

        var check = (11 - (sum % 11)) % 11;
        return check == 10 ? 'X' : (char)('0' + check);
    }

    private static char Isbn13CheckCharacter(ReadOnlySpan<char> first12)
    {
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (i % 2 == 0 ? 1 : 3) * (first12[i] - '0');
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
