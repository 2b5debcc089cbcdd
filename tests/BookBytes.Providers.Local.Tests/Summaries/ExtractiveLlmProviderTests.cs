using BookBytes.Llm;
using BookBytes.Providers.Local.Summaries;

namespace BookBytes.Providers.Local.Tests.Summaries;

public sealed class ExtractiveLlmProviderTests
{
    private static readonly BookContext English = new("Bees", ["A. Writer"], "en-GB");

    private static TextSummaryRequest Request(string text, int words, SummaryScope scope = SummaryScope.Chapter)
        => new(new ChapterHeading(1, "Bees"), text, scope, words);

    private static async Task<string> SummaryAsync(string text, int words, BookContext? book = null)
        => (await new ExtractiveLlmProvider().SummarizeTextAsync(book ?? English, Request(text, words))).Text;

    /// <summary>The summary's sentences, as the splitter cuts them.</summary>
    private static List<string> SentencesOf(string summary) => [.. SentenceSplitter.Split(summary).Select(s => s.Text)];

    [Fact]
    public async Task The_summary_is_the_sentences_that_share_most_with_the_rest_in_their_original_order_and_paragraphs()
    {
        var summary = await SummaryAsync(BeeText.Text, BeeText.CentralWords + 2);

        summary.Should().Be(string.Join("\n\n", BeeText.CentralFirst, BeeText.CentralSecond, BeeText.CentralThird));
    }

    [Fact]
    public async Task Off_topic_sentences_are_the_last_chosen()
    {
        var summary = await SummaryAsync(BeeText.Text, 120);

        SentencesOf(summary).Should().Contain([BeeText.CentralFirst, BeeText.CentralSecond, BeeText.CentralThird]);
        SentencesOf(summary).Should().NotContain(BeeText.OffTopic);
    }

    [Fact]
    public async Task Sentences_of_one_paragraph_are_joined_with_a_space_and_paragraphs_with_a_blank_line()
    {
        var summary = await SummaryAsync(BeeText.Text, 140);

        var paragraphs = summary.Split("\n\n");
        paragraphs.Should().HaveCountGreaterThan(1);
        foreach (var paragraph in paragraphs)
        {
            var source = BeeText.Paragraphs.Single(p => p.Contains(SentencesOf(paragraph)[0]));
            SentencesOf(paragraph).Should().BeSubsetOf(source);
            SentencesOf(paragraph).Select(s => Array.IndexOf(source, s)).Should().BeInAscendingOrder();
            paragraph.Should().NotContain("\n");
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(25)]
    [InlineData(40)]
    [InlineData(71)]
    [InlineData(100)]
    [InlineData(150)]
    public async Task The_summary_has_no_more_words_than_asked_and_at_least_half_of_them_when_sentences_are_shorter_than_that(int words)
    {
        var summary = await SummaryAsync(BeeText.Text, words);

        var counted = ExtractiveSummarizer.CountWords(summary);
        counted.Should().BeInRange(1, words);
        if (words >= 25)
        {
            counted.Should().BeGreaterThanOrEqualTo(words / 2, "the pipeline refuses a summary under half its target");
        }
    }

    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(200)]
    public async Task A_text_written_without_spaces_is_bounded_by_the_pipelines_own_word_count(int words)
    {
        // Chinese: the pipeline counts two words per three ideographs; white-space runs would make each sentence one "word".
        var sentences = Enumerable.Range(0, 40).Select(i => i % 3 == 0 ? "蜜蜂把花蜜带回蜂巢，工蜂在那里把它变成蜂蜜。" : i % 3 == 1 ? "蜂巢里的蜂蜜让整个蜂群度过寒冷的冬天。" : "春天来了，花园里开满了各种颜色的花朵。");
        var text = string.Join("\n\n", sentences.Chunk(4).Select(p => string.Concat(p)));

        var summary = await SummaryAsync(text, words);

        ExtractiveSummarizer.CountWords(summary).Should().BeInRange(words / 2, words, "the pipeline refuses a summary outside half to twice its target, and this one never goes over");
    }

    [Fact]
    public async Task A_target_shorter_than_every_sentence_gets_the_best_sentence_cut_at_a_word_boundary()
    {
        var summary = await SummaryAsync(BeeText.Text, 3);

        summary.Should().BeOneOf("Worker bees fly…", "Inside the hive…", "When flowers fade…");
        ExtractiveSummarizer.CountWords(summary).Should().Be(3);
    }

    [Fact]
    public async Task When_only_sentences_too_long_for_the_rest_are_left_the_best_of_them_is_cut_to_fill_at_least_half_the_target()
    {
        var longOne = string.Join(' ', Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "bees carry honey" : "to the hive")) + ".";
        var text = string.Join("\n\n", "Bees carry honey to the hive.", longOne, longOne.Replace("hive", "colony", StringComparison.Ordinal));

        var summary = await SummaryAsync(text, 30);

        ExtractiveSummarizer.CountWords(summary).Should().BeInRange(15, 30, "the pipeline refuses a summary under half its target");
        summary.Should().EndWith("…");
        SentencesOf(summary).Should().HaveCount(2);
    }

    [Fact]
    public async Task The_same_text_gives_the_same_summary()
    {
        var first = await SummaryAsync(BeeText.Text, 60);
        var second = await SummaryAsync(BeeText.Text, 60);

        second.Should().Be(first);
    }

    [Theory]
    [InlineData(45)]
    [InlineData(73)]
    [InlineData(90)]
    public async Task Shuffling_the_paragraphs_changes_only_the_order_of_the_chosen_sentences(int words)
    {
        var expected = SentencesOf(await SummaryAsync(BeeText.Text, words));
        int[][] orders = [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]];

        foreach (var order in orders)
        {
            var shuffled = BeeText.Join(order.Select(i => BeeText.Paragraphs[i]));
            var summary = SentencesOf(await SummaryAsync(shuffled, words));
            summary.Should().BeEquivalentTo(expected, $"the paragraphs in the order {string.Join(", ", order)} hold the same sentences");
        }
    }

    [Fact]
    public async Task A_combination_of_part_summaries_is_ranked_again_to_its_target()
    {
        var parts = string.Join("\n\n", BeeText.Paragraphs.Select(p => string.Join(' ', p)));

        var summary = await new ExtractiveLlmProvider().SummarizeTextAsync(English, new TextSummaryRequest(new ChapterHeading(1, "Bees"), parts, SummaryScope.Combination, 50, 0, 4));

        ExtractiveSummarizer.CountWords(summary.Text).Should().BeInRange(25, 50);
        SentencesOf(summary.Text).Should().BeSubsetOf(BeeText.Sentences);
    }

    [Fact]
    public async Task No_tokens_are_reported_so_the_summary_costs_nothing()
    {
        var provider = new ExtractiveLlmProvider();

        var summary = await provider.SummarizeTextAsync(English, Request(BeeText.Text, 50));

        summary.Usage.Should().Be(LlmUsage.Zero);
        provider.ModelId.Should().Be(ExtractiveLlmProvider.Model).And.Be("extractive-textrank");
        ((ILlmProvider)provider).RequiresText.Should().BeTrue();
    }

    [Fact]
    public async Task A_text_without_words_gives_an_empty_summary()
    {
        var summary = await SummaryAsync("…\n\n— !", 50);

        summary.Should().BeEmpty();
    }

    [Fact]
    public async Task A_cancelled_call_throws_OperationCanceledException()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => new ExtractiveLlmProvider().SummarizeTextAsync(English, Request(BeeText.Text, 50), cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task An_outline_is_refused_as_a_configuration_error_that_is_not_retried()
    {
        var act = () => new ExtractiveLlmProvider().OutlineAsync(English);

        var thrown = await act.Should().ThrowAsync<ProviderConfigurationException>();
        thrown.Which.IsTransient.Should().BeFalse();
        thrown.Which.Message.Should().Be("An offline summary needs the book's text: upload the book's file, or configure a language model.");
    }

    [Fact]
    public async Task A_summary_of_a_chapter_known_only_by_its_title_is_refused_as_a_configuration_error_that_is_not_retried()
    {
        var act = () => new ExtractiveLlmProvider().SummarizeChapterAsync(English, new ChapterHeading(1, "Bees"));

        var thrown = await act.Should().ThrowAsync<ProviderConfigurationException>();
        thrown.Which.IsTransient.Should().BeFalse();
        thrown.Which.Message.Should().Be("An offline summary needs the book's text: upload the book's file, or configure a language model.");
    }
}
