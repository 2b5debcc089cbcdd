using BookBytes.Llm;
using BookBytes.Providers.Local.Summaries;

namespace BookBytes.Providers.Local.Tests.Summaries;

public sealed class StopWordsTests
{
    // The garden sentence shares what the others are about; the decoy shares only the function words they are written with.
    private const string Central = "Im Frühling gießt die Gärtnerin die Rosen und Tulpen im Garten mit Wasser aus dem Brunnen.";
    private const string Decoy = "Sie war auch nicht da, und er wusste es nicht, als sie sagte, dass das im Grunde der Fall ist.";

    private static readonly string German = string.Join(' ',
        "Der Garten ist im Frühling voller Rosen, und er ist auch nicht klein.",
        "Die Rosen brauchen viel Wasser, als es warm war, und sie wuchsen.",
        Decoy,
        "Sie war nicht da, als das Wasser im Brunnen fror, und er wusste es.",
        Central,
        "Die Gärtnerin sagte, dass der Garten im Frühling schön ist.",
        "Er war auch nicht bei den Tulpen, und sie sagte es ihr nicht.",
        "Im Brunnen ist das Wasser auch im Sommer kalt, und es ist nicht tief.");

    private static async Task<string> BestSentenceAsync(string language)
        => (await new ExtractiveLlmProvider().SummarizeTextAsync(
            new BookContext("Der Garten", [], language),
            new TextSummaryRequest(new ChapterHeading(1, "Der Garten"), German, SummaryScope.Chapter, 22))).Text;

    [Fact]
    public async Task With_the_German_stop_words_the_sentence_about_the_garden_is_the_most_central()
    {
        var summary = await BestSentenceAsync("de-DE");

        summary.Should().Be(Central);
    }

    [Fact]
    public async Task Without_stop_words_the_sentence_of_function_words_would_win()
    {
        var summary = await BestSentenceAsync("xx");

        summary.Should().Be(Decoy, "so the German list is what makes the difference");
    }

    [Theory]
    [InlineData("en", "the")]
    [InlineData("EN-us", "which")]
    [InlineData("de-DE", "und")]
    [InlineData("de_AT", "nicht")]
    [InlineData("fr-CA", "les")]
    [InlineData("es", "porque")]
    [InlineData("it", "della")]
    [InlineData("pt-BR", "não")]
    [InlineData("nl-BE", "niet")]
    public void The_list_is_chosen_by_the_primary_language_subtag(string language, string word)
    {
        StopWords.For(language).Should().Contain(word).And.HaveCountGreaterThan(90);
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("ja-JP")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_language_has_no_stop_words(string? language)
    {
        StopWords.For(language).Should().BeEmpty();
    }

    [Fact]
    public async Task A_text_in_a_language_without_a_list_is_still_summarised()
    {
        var summary = await new ExtractiveLlmProvider().SummarizeTextAsync(
            new BookContext("Bees", [], "sw"), new TextSummaryRequest(new ChapterHeading(1, "Bees"), BeeText.Text, SummaryScope.Chapter, 50));

        ExtractiveSummarizer.CountWords(summary.Text).Should().BeInRange(25, 50);
    }
}
