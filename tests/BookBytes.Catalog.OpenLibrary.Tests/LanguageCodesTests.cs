namespace BookBytes.Catalog.OpenLibrary.Tests;

public sealed class LanguageCodesTests
{
    [Theory]
    [InlineData("/languages/eng", "en")]
    [InlineData("/languages/fre", "fr")]
    [InlineData("/languages/fra", "fr")]
    [InlineData("/languages/ger", "de")]
    [InlineData("/languages/deu", "de")]
    [InlineData("/languages/spa", "es")]
    [InlineData("/languages/ita", "it")]
    [InlineData("/languages/por", "pt")]
    [InlineData("/languages/dut", "nl")]
    [InlineData("/languages/rus", "ru")]
    [InlineData("/languages/jpn", "ja")]
    [InlineData("/languages/chi", "zh")]
    [InlineData("/languages/kor", "ko")]
    [InlineData("/languages/ara", "ar")]
    [InlineData("/languages/swe", "sv")]
    [InlineData("/languages/nor", "no")]
    [InlineData("/languages/dan", "da")]
    [InlineData("/languages/fin", "fi")]
    [InlineData("/languages/pol", "pl")]
    [InlineData("/languages/tur", "tr")]
    [InlineData("/languages/heb", "he")]
    [InlineData("/languages/gre", "el")]
    [InlineData("/languages/lat", "la")]
    [InlineData("/languages/cze", "cs")]
    [InlineData("/languages/hun", "hu")]
    [InlineData("ENG", "en")]
    public void From_key_maps_marc_codes_to_iso_639_1(string key, string expected)
    {
        var code = LanguageCodes.FromKey(key);

        code.Should().Be(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/languages/")]
    public void From_key_defaults_to_english_when_the_language_is_missing(string? key)
    {
        var code = LanguageCodes.FromKey(key);

        code.Should().Be("en");
    }

    [Fact]
    public void From_key_keeps_an_unknown_code_rather_than_guessing_english()
    {
        var code = LanguageCodes.FromKey("/languages/yid");

        code.Should().Be("yid");
    }
}
