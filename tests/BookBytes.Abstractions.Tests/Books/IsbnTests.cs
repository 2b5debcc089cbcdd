using BookBytes.Books;

namespace BookBytes.Abstractions.Tests.Books;

public class IsbnTests
{
    // Real books: (as printed, ISBN-13, ISBN-10 or null for 979-prefixed).
    public static TheoryData<string, string, string?> RealIsbns => new()
    {
        { "978-0-306-40615-7", "9780306406157", "0306406152" },
        { "0-306-40615-2", "9780306406157", "0306406152" },
        { "9780262033848", "9780262033848", "0262033844" },          // Introduction to Algorithms
        { "0262033844", "9780262033848", "0262033844" },
        { "978-0-13-235088-4", "9780132350884", "0132350882" },       // Clean Code
        { "0-8044-2957-X", "9780804429573", "080442957X" },           // check digit X
        { "080442957x", "9780804429573", "080442957X" },              // lower-case x
        { "0 19 852663 6", "9780198526636", "0198526636" },           // spaces
        { "ISBN 978-0-596-52068-7", "9780596520687", "0596520689" },  // prefix
        { "ISBN-13: 978-1-4028-9462-6", "9781402894626", "1402894627" },
        { "ISBN-10: 1-4028-9462-7", "9781402894626", "1402894627" },
        { "979-10-90636-07-1", "9791090636071", null },               // 979 has no ISBN-10
        { "  9781491950357  ", "9781491950357", "1491950358" },       // Designing Data-Intensive Applications
        { "978-1-59327-584-6", "9781593275846", "1593275846" },       // Eloquent JavaScript
    };

    [Theory]
    [MemberData(nameof(RealIsbns))]
    public void Parse_normalises_real_isbns_to_isbn13(string text, string isbn13, string? isbn10)
    {
        var isbn = Isbn.Parse(text);

        isbn.Value.Should().Be(isbn13);
        isbn.ToString().Should().Be(isbn13);
        isbn.Isbn10.Should().Be(isbn10);
        Isbn.TryParse(text, out var tried).Should().BeTrue();
        tried.Should().Be(isbn);
    }

    public static TheoryData<string> CorruptedInEveryPosition()
    {
        var data = new TheoryData<string>();
        foreach (var valid in new[] { "9780306406157", "0306406152", "080442957X", "9791090636071" })
        {
            for (var i = 0; i < valid.Length; i++)
            {
                // Changing one digit always breaks both check sums (weights 1/3 mod 10 and 1..10 mod 11).
                var c = valid[i];
                var replacement = c == 'X' ? '0' : (char)('0' + (((c - '0') + 1) % 10));
                data.Add(valid[..i] + replacement + valid[(i + 1)..]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorruptedInEveryPosition))]
    public void Parse_refuses_an_isbn_with_any_one_digit_changed(string corrupted)
    {
        var act = () => Isbn.Parse(corrupted);

        act.Should().Throw<FormatException>();
        Isbn.TryParse(corrupted, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("978030640615", "12")]
    [InlineData("97803064061577", "more than 13")]
    [InlineData("030640615", "9")]
    [InlineData("978-0-306-4O615-7", "found 'O' at position 12")]
    [InlineData("978_0306406157", "found '_'")]
    [InlineData("9770306406157", "978 or 979")]
    [InlineData("X306406152", "X may only")]
    [InlineData("978030640615X", "X may only")]
    [InlineData("9780306406158", "expected '7', found '8'")]
    [InlineData("0306406153", "expected '2', found '3'")]
    public void Parse_explains_what_is_wrong(string text, string because)
    {
        var act = () => Isbn.Parse(text);

        act.Should().Throw<FormatException>().Which.Message.Should().Contain(because);
    }

    [Fact]
    public void TryParse_of_null_is_false()
    {
        Isbn.TryParse((string?)null, out var isbn).Should().BeFalse();
        isbn.Should().Be(default(Isbn));
        isbn.Value.Should().BeEmpty();
    }

    [Fact]
    public void Isbn10_and_isbn13_of_one_book_are_equal()
    {
        var a = Isbn.Parse("0-306-40615-2");
        var b = Isbn.Parse("978-0-306-40615-7");

        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.CompareTo(b).Should().Be(0);
    }

    [Fact]
    public void Isbn_is_span_parsable_for_minimal_api_binding()
    {
        static T ParseVia<T>(string s) where T : IParsable<T> => T.Parse(s, null);

        ParseVia<Isbn>("0306406152").Value.Should().Be("9780306406157");
    }
}
