using System.Text;
using BookBytes.Providers.Local.Summaries;

namespace BookBytes.Providers.Local.Tests.Summaries;

public sealed class HostileInputTests
{
    [Fact]
    public void A_two_megabyte_sentence_without_punctuation_is_ranked_in_bounded_pieces_and_the_summary_keeps_its_length()
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length < 2_000_000; i++)
        {
            text.Append("word").Append(i % 5_000).Append(' ');
        }

        var result = ExtractiveSummarizer.Summarize(text.ToString(), "en", 200);

        result.Ranked.Should().BeLessThanOrEqualTo(ExtractiveSummarizer.MaxSentences);
        result.Words.Should().BeInRange(1, 200);
        ExtractiveSummarizer.CountWords(result.Text).Should().Be(result.Words);
    }

    [Fact]
    public void A_two_megabyte_run_without_white_space_is_cut_into_bounded_pieces_and_the_summary_keeps_its_length()
    {
        var result = ExtractiveSummarizer.Summarize(new string('a', 2_000_000), "en", 200);

        result.Sentences.Should().Be((2_000_000 / SentenceSplitter.MaxSentenceCharacters) + 1, "the run is cut into pieces of the longest sentence");
        result.Chosen.Should().BeInRange(1, 200);
        result.Words.Should().Be(result.Chosen, "each piece is one word");
    }

    [Fact]
    public void Fifty_thousand_one_word_sentences_are_ranked_as_an_even_sample_and_the_summary_keeps_its_length()
    {
        var text = string.Join(' ', Enumerable.Range(0, 50_000).Select(i => $"Word{i % 300}."));

        var result = ExtractiveSummarizer.Summarize(text, "en", 100);

        result.Sentences.Should().Be(50_000);
        result.Ranked.Should().Be(ExtractiveSummarizer.MaxSentences);
        result.Words.Should().Be(100);
        ExtractiveSummarizer.CountWords(result.Text).Should().Be(100);
    }

    [Fact]
    public void Above_the_cap_the_sentences_are_sampled_evenly_from_the_first_to_near_the_last()
    {
        var sentences = Enumerable.Range(0, 50_000).Select(i => new Sentence($"Sentence {i}.", i / 10)).ToList();

        var sampled = ExtractiveSummarizer.Sample(sentences);

        sampled.Should().HaveCount(ExtractiveSummarizer.MaxSentences);
        sampled.Select(s => s.Text).Should().Equal(Enumerable.Range(0, ExtractiveSummarizer.MaxSentences).Select(k => $"Sentence {k * 25}."));
    }

    [Fact]
    public void At_or_below_the_cap_every_sentence_is_ranked()
    {
        var sentences = Enumerable.Range(0, ExtractiveSummarizer.MaxSentences).Select(i => new Sentence($"Sentence {i}.", 0)).ToList();

        ExtractiveSummarizer.Sample(sentences).Should().Equal(sentences);
    }

    [Fact]
    public void Cancellation_is_honoured_inside_the_ranking()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var text = string.Join(' ', Enumerable.Range(0, 5_000).Select(i => $"Word{i % 300} and word{i % 7}."));

        var act = () => ExtractiveSummarizer.Summarize(text, "en", 100, cancelled.Token);

        act.Should().Throw<OperationCanceledException>();
    }
}
