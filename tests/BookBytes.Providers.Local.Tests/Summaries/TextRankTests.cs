using BookBytes.Providers.Local.Summaries;

namespace BookBytes.Providers.Local.Tests.Summaries;

public sealed class TextRankTests
{
    [Fact]
    public void Terms_are_lower_case_words_without_stop_words_or_single_letters_with_a_plural_s_folded()
    {
        var terms = TextRank.Terms("The Bees and a bee's HIVES, l'abeille: 1890 x glass!", StopWords.For("en"));

        terms.Should().Equal("bee", "bee", "hive", "abeille", "1890", "glass");
    }

    [Fact]
    public void A_sentence_sharing_no_term_scores_one_minus_the_damping()
    {
        var scores = TextRank.Rank(["Bees make honey.", "Trains run late.", "Honey bees make wax."], StopWords.For("en"));

        scores[1].Should().Be(1 - TextRank.Damping);
        scores[0].Should().BeGreaterThan(scores[1]);
    }

    [Fact]
    public void The_sentence_linked_to_all_others_ranks_first_and_scores_average_one()
    {
        string[] sentences =
        [
            "Bees visit clover.",
            "Bees visit clover, heather, thyme and roses in the meadow.",
            "Heather grows high.",
            "Thyme smells sweet.",
            "Roses need the meadow.",
        ];

        var scores = TextRank.Rank(sentences, StopWords.For("en"));

        Array.IndexOf(scores, scores.Max()).Should().Be(1);
        scores.Average().Should().BeApproximately(1.0, 1e-5, "PageRank of a graph without isolated sentences keeps the mean score at 1");
    }
}
