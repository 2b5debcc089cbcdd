using BookBytes.Books;
using System.Globalization;

namespace BookBytes.Testing.Fakes;

/// <summary>Makes distinct valid ISBN-13s for tests.</summary>
public static class TestIsbn
{
    /// <summary>Returns a valid ISBN-13 (978 prefix) numbered <paramref name="n"/>.</summary>
    public static Isbn Create(int n)
    {
        var body = "978" + n.ToString("D9", CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (i % 2 == 0 ? 1 : 3) * (body[i] - '0');
        }

        return Isbn.Parse(body + (char)('0' + ((10 - (sum % 10)) % 10)));
    }
}
