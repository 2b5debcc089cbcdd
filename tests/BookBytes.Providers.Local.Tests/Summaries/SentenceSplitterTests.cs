using BookBytes.Providers.Local.Summaries;

namespace BookBytes.Providers.Local.Tests.Summaries;

public sealed class SentenceSplitterTests
{
    private static List<string> Split(string text) => [.. SentenceSplitter.Split(text).Select(s => s.Text)];

    [Theory]
    [InlineData("It rained. We stayed in.", new[] { "It rained.", "We stayed in." })]
    [InlineData("Did it rain? Yes! We stayed in.", new[] { "Did it rain?", "Yes!", "We stayed in." })]
    [InlineData("It rained… We stayed in.", new[] { "It rained…", "We stayed in." })]
    [InlineData("It rained... We stayed in?! Of course.", new[] { "It rained...", "We stayed in?!", "Of course." })]
    public void Sentences_end_at_full_stops_exclamation_and_question_marks_and_ellipses(string text, string[] expected)
    {
        Split(text).Should().Equal(expected);
    }

    [Theory]
    [InlineData("He said, \"It rained.\" We stayed in.", new[] { "He said, \"It rained.\"", "We stayed in." })]
    [InlineData("“Stay in!” She did. (It rained.) Then it stopped.", new[] { "“Stay in!”", "She did.", "(It rained.)", "Then it stopped." })]
    [InlineData("»Bleib drinnen!« Sie blieb.", new[] { "»Bleib drinnen!«", "Sie blieb." })]
    public void Closing_quotes_and_brackets_after_the_end_belong_to_the_sentence(string text, string[] expected)
    {
        Split(text).Should().Equal(expected);
    }

    [Theory]
    [InlineData("Mr. Brown met Mrs. Green and Dr. Black on St. Mary's Road. They talked.", 2)]
    [InlineData("Some fruit, e.g. apples, keeps well, i.e. for months. Pears do not.", 2)]
    [InlineData("Manche Früchte, z. B. Äpfel, halten lange. Birnen nicht.", 2)]
    [InlineData("Apples, pears, etc. are fruit. Carrots are not.", 2)]
    [InlineData("Pi is about 3.14 and e about 2.718. Both are irrational.", 2)]
    [InlineData("The Hobbit is by J. R. R. Tolkien. It was published in 1937.", 2)]
    [InlineData("“Help!” she cried. Nobody came.", 2)]
    public void Abbreviations_decimals_initials_and_a_lower_case_word_after_the_mark_do_not_end_a_sentence(string text, int sentences)
    {
        Split(text).Should().HaveCount(sentences).And.OnlyContain(s => s.EndsWith('.'));
    }

    [Fact]
    public void A_sentence_ending_with_I_still_ends()
    {
        Split("Nobody knew it but I. Then they did.").Should().Equal("Nobody knew it but I.", "Then they did.");
    }

    [Fact]
    public void Paragraphs_are_separated_by_blank_lines_and_single_line_breaks_are_spaces()
    {
        var sentences = SentenceSplitter.Split("First line\nof the first. Second\r\n\r\n   \n\nThird one.\n\n\n\nFourth\tone.");

        sentences.Should().Equal(
            new Sentence("First line of the first.", 0),
            new Sentence("Second", 0),
            new Sentence("Third one.", 1),
            new Sentence("Fourth one.", 2));
    }

    [Fact]
    public void A_text_without_a_mark_at_its_end_still_has_its_last_sentence()
    {
        Split("It rained. We stayed in").Should().Equal("It rained.", "We stayed in");
    }

    [Fact]
    public void A_run_longer_than_the_longest_sentence_is_cut_at_white_space()
    {
        var words = string.Join(' ', Enumerable.Range(0, 2_000).Select(i => "word" + i));

        var sentences = Split(words);

        sentences.Should().HaveCountGreaterThan(1).And.OnlyContain(s => s.Length <= SentenceSplitter.MaxSentenceCharacters);
        string.Join(' ', sentences).Should().Be(words, "nothing is lost at the cuts");
    }

    [Fact]
    public void A_run_without_white_space_is_cut_at_the_longest_sentence()
    {
        var run = new string('x', (SentenceSplitter.MaxSentenceCharacters * 3) + 7);

        var sentences = Split(run);

        sentences.Select(s => s.Length).Should().Equal(SentenceSplitter.MaxSentenceCharacters, SentenceSplitter.MaxSentenceCharacters, SentenceSplitter.MaxSentenceCharacters, 7);
    }
}
