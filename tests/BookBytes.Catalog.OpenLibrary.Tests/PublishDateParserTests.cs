namespace BookBytes.Catalog.OpenLibrary.Tests;

public sealed class PublishDateParserTests
{
    [Theory]
    [InlineData("1994", 1994)]
    [InlineData("March 5, 2012", 2012)]
    [InlineData("2012-03-05", 2012)]
    [InlineData("c1999", 1999)]
    [InlineData("May 2003", 2003)]
    [InlineData("[1994?]", 1994)]
    [InlineData("October 1, 1988", 1988)]
    [InlineData("05/03/2012", 2012)]
    [InlineData("1st ed. 1979", 1979)]
    public void Parse_year_reads_the_year_out_of_free_text(string text, int year)
    {
        var parsed = PublishDateParser.ParseYear(text);

        parsed.Should().Be(year);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("n.d.")]
    [InlineData("197-")]
    [InlineData("12345")]
    public void Parse_year_returns_null_when_there_is_no_year(string? text)
    {
        var parsed = PublishDateParser.ParseYear(text);

        parsed.Should().BeNull();
    }
}
