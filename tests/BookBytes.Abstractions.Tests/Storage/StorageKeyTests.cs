using BookBytes.Storage;

namespace BookBytes.Abstractions.Tests.Storage;

public class StorageKeyTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("chapter-001.mp3")]
    [InlineData("audiobooks/0190f1d2-1c5b-7d0e-9a6f-3b2c1d0e9f8a/v1/chapter-001.mp3")]
    [InlineData("a/b/c_d.e-f")]
    [InlineData(".hidden")]
    [InlineData("a/.b")]
    [InlineData("a.b.c")]
    [InlineData("0/1/2")]
    public void Accepts_valid_keys(string text)
    {
        var key = StorageKey.Parse(text);

        key.Value.Should().Be(text);
        StorageKey.TryParse(text, out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("../x", "'..'")]
    [InlineData("a/../b", "'..'")]
    [InlineData("a..b", "'..'")]
    [InlineData("/abs", "start with '/'")]
    [InlineData("a/", "end with '/'")]
    [InlineData("a//b", "empty segment")]
    [InlineData("a\\b", "found '\\'")]
    [InlineData("a\0b", "U+0000")]
    [InlineData("A.mp3", "found 'A'")]
    [InlineData("a b", "found ' '")]
    [InlineData("a:b", "found ':'")]
    [InlineData("é", "found 'é'")]
    [InlineData(".", "'.' segment")]
    [InlineData("./a", "'.' segment")]
    [InlineData("a/./b", "'.' segment")]
    [InlineData("a/.", "'.' segment")]
    public void Refuses_invalid_keys_saying_why(string text, string because)
    {
        var act = () => StorageKey.Parse(text);

        act.Should().Throw<FormatException>().Which.Message.Should().Contain(because);
        StorageKey.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void Refuses_a_2_kb_key()
    {
        var text = new string('a', 2048);

        StorageKey.TryParse(text, out _, out var error).Should().BeFalse();

        error.Should().Contain("1024");
    }

    [Fact]
    public void Accepts_a_key_of_exactly_the_maximum_length()
    {
        StorageKey.TryParse(new string('a', StorageKey.MaxLength), out _).Should().BeTrue();
    }
}
