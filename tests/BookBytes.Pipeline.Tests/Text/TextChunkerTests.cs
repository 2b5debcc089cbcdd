using BookBytes.Pipeline.Text;

namespace BookBytes.Pipeline.Tests.Text;

public class TextChunkerTests
{
    private static string Words(int count, string word = "word") => string.Join(' ', Enumerable.Repeat(word, count)) + ".";

    [Fact]
    public void Short_text_is_one_chunk()
    {
        TextChunker.Split("Hello there. General Kenobi.", 100).Should().Equal("Hello there. General Kenobi.");
    }

    [Fact]
    public void Empty_or_blank_text_gives_no_chunks()
    {
        TextChunker.Split("", 100).Should().BeEmpty();
        TextChunker.Split(" \n\n \r\n ", 100).Should().BeEmpty();
    }

    [Fact]
    public void Paragraphs_are_packed_together_up_to_the_limit_and_split_between()
    {
        var p1 = new string('a', 40) + ".";
        var p2 = new string('b', 40) + ".";
        var p3 = new string('c', 40) + ".";

        var chunks = TextChunker.Split($"{p1}\n\n{p2}\r\n\r\n{p3}", 90);

        chunks.Should().Equal($"{p1}\n\n{p2}", p3);
    }

    [Fact]
    public void A_long_paragraph_is_split_at_sentence_ends()
    {
        var text = "First sentence is here. Second one follows! Does a third ask? Fourth ends it.";

        var chunks = TextChunker.Split(text, 45);

        chunks.Should().Equal("First sentence is here. Second one follows!", "Does a third ask? Fourth ends it.");
    }

    [Theory]
    [InlineData("Mr. Smith met Dr. Jones at 3.14 p.m. on the dot. Then they left.", new[] { "Mr. Smith met Dr. Jones at 3.14 p.m. on the dot.", "Then they left." })]
    [InlineData("The U.S. economy grew, e.g. in tech. It slowed later.", new[] { "The U.S. economy grew, e.g. in tech.", "It slowed later." })]
    [InlineData("J. R. R. Tolkien wrote it. Readers loved it.", new[] { "J. R. R. Tolkien wrote it.", "Readers loved it." })]
    [InlineData("He said, \"Stop.\" She did not. Why?", new[] { "He said, \"Stop.\"", "She did not.", "Why?" })]
    [InlineData("It cost $4.50 in 1999. Prices rose.", new[] { "It cost $4.50 in 1999.", "Prices rose." })]
    [InlineData("Wait... what happened? Nothing.", new[] { "Wait... what happened?", "Nothing." })]
    [InlineData("See chapter 3. 42 is the answer.", new[] { "See chapter 3.", "42 is the answer." })]
    [InlineData("It ends with no stop", new[] { "It ends with no stop" })]
    public void Sentences_respect_abbreviations_decimals_initials_and_quotes(string text, string[] expected)
    {
        TextChunker.Sentences(text).Should().Equal(expected);
    }

    [Fact]
    public void A_single_sentence_over_the_limit_is_cut_at_clauses_then_spaces_never_inside_a_word()
    {
        var sentence = "Alpha beta gamma, delta epsilon zeta; eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega.";

        var chunks = TextChunker.Split(sentence, 40);

        chunks.Should().OnlyContain(c => c.Length <= 40);
        string.Join(' ', chunks).Split(' ').Should().Equal(sentence.Split(' '));
        chunks[0].Should().Be("Alpha beta gamma, delta epsilon zeta;");
    }

    [Fact]
    public void A_word_longer_than_the_limit_is_the_only_thing_ever_cut()
    {
        var word = new string('x', 25);

        var chunks = TextChunker.Split($"short {word} end", 10);

        chunks.Should().OnlyContain(c => c.Length <= 10);
        string.Concat(chunks).Replace(" ", "", StringComparison.Ordinal).Should().Be("short" + word + "end");
    }

    [Theory]
    [InlineData(500, 1500)]
    [InlineData(500, 300)]
    [InlineData(2000, 1500)]
    [InlineData(5000, 4096)]
    public void Long_text_chunks_never_exceed_the_limit_and_keep_every_word_in_order(int sentences, int limit)
    {
        var random = new Random(sentences);
        var paragraphs = Enumerable.Range(0, sentences / 10).Select(p =>
            string.Join(' ', Enumerable.Range(0, 10).Select(s => Words(random.Next(3, 40), "w" + random.Next(100)).Replace("w", "W", StringComparison.Ordinal))));
        var text = string.Join("\n\n", paragraphs);

        var chunks = TextChunker.Split(text, limit);

        chunks.Should().OnlyContain(c => c.Length <= limit && c.Length > 0 && c == c.Trim());
        Tokens(string.Join(' ', chunks)).Should().Equal(Tokens(text));
        chunks.Take(chunks.Count - 1).Should().OnlyContain(c => c.EndsWith('.'), "every chunk but the last ends at a sentence");
    }

    [Fact]
    public void Chinese_text_is_split_at_its_own_sentence_ends()
    {
        var text = string.Concat(Enumerable.Repeat("这是一个测试句子。", 40)); // 360 characters, no spaces

        var chunks = TextChunker.Split(text, 100);

        chunks.Should().OnlyContain(c => c.Length <= 100 && c.EndsWith('。'));
        string.Concat(chunks).Replace(" ", string.Empty, StringComparison.Ordinal).Should().Be(text, "nothing is lost or repeated");
    }

    [Fact]
    public void A_long_chinese_sentence_is_cut_after_a_clause_mark()
    {
        var text = string.Concat(Enumerable.Repeat("狐狸先生很聪明，", 20)) + "结束。"; // one 163-character sentence

        var chunks = TextChunker.Split(text, 50);

        chunks.Should().OnlyContain(c => c.Length <= 50);
        chunks.SkipLast(1).Should().OnlyContain(c => c.EndsWith('，'));
        string.Concat(chunks).Should().Be(text);
    }

    [Theory]
    [InlineData("surrogate pair")] // a CJK ideograph outside the BMP
    [InlineData("combining mark")] // e + combining acute accent
    public void A_hard_cut_never_splits_a_character(string kind)
    {
        var element = kind == "surrogate pair" ? char.ConvertFromUtf32(0x20000) : "e\u0301";
        var text = string.Concat(Enumerable.Repeat(element, 100));

        var chunks = TextChunker.Split(text, 51);

        chunks.Should().OnlyContain(c => c.Length <= 51 && c.Length % 2 == 0 && c.StartsWith(element, StringComparison.Ordinal));
        string.Concat(chunks).Should().Be(text);
    }

    [Fact]
    public void Refuses_a_limit_below_one()
    {
        FluentActions.Invoking(() => TextChunker.Split("x", 0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static string[] Tokens(string text) => text.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void In_text_still_being_written_a_sentence_has_ended_only_once_the_next_has_begun()
    {
        const string text = "Mr. Fox ran. He hid in the hole";

        var ends = TextChunker.UnitEnds(text, final: false);
        var whole = TextChunker.UnitEnds(text, final: true);

        ends.Should().Equal([text.IndexOf("ran.", StringComparison.Ordinal) + 4], "\"Mr.\" is no end, and the last sentence may go on");
        whole.Should().Equal(ends[0], text.Length);
    }

    [Fact]
    public void A_paragraph_has_ended_once_a_blank_line_follows_it()
    {
        const string text = "The first paragraph ends here.  \n\n  The second has begun";

        var ends = TextChunker.UnitEnds(text, final: false);
        var unfinished = TextChunker.UnitEnds("The first paragraph may go on.\n", final: false);

        ends.Should().Equal(text.IndexOf("here.", StringComparison.Ordinal) + 5);
        unfinished.Should().BeEmpty("one line break is not a paragraph's end");
        TextChunker.UnitEnds("One.\r\n\r\nTwo.", final: true).Should().Equal(4, 12);
    }

    [Fact]
    public void A_sentence_longer_than_a_chunk_is_cut_where_split_would_cut_it()
    {
        var sentence = string.Join(", ", Enumerable.Repeat("a clause of some words", 20)) + ".";

        var end = TextChunker.LongSentenceCut("  " + sentence, 100);

        ("  " + sentence)[..end].Trim().Should().Be(TextChunker.Split(sentence, 100)[0]);
    }
}
