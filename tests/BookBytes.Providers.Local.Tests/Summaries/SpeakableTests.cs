using BookBytes.Providers.Local.Summaries;

namespace BookBytes.Providers.Local.Tests.Summaries;

public sealed class SpeakableTests
{
    [Theory]
    [InlineData("# Bees in winter", "Bees in winter")]
    [InlineData("### Bees", "Bees")]
    [InlineData("- Worker bees gather nectar.", "Worker bees gather nectar.")]
    [InlineData("* Worker bees gather nectar.", "Worker bees gather nectar.")]
    [InlineData("12. Worker bees gather nectar.", "Worker bees gather nectar.")]
    [InlineData("3) - Worker bees gather nectar.", "Worker bees gather nectar.")]
    [InlineData("Worker bees gather **nectar** and __pollen__.", "Worker bees gather nectar and pollen.")]
    [InlineData("In 1890 bees - and wasps - were counted.", "In 1890 bees - and wasps - were counted.")]
    [InlineData("1890. The bees came back.", "1890. The bees came back.")]
    public void Markup_that_means_nothing_aloud_is_left_out_of_a_sentence(string sentence, string spoken)
    {
        ExtractiveSummarizer.Speakable(sentence).Should().Be(spoken);
    }

    [Fact]
    public void A_summary_of_text_with_markdown_lines_has_no_heading_list_or_emphasis_the_pipeline_would_refuse()
    {
        var text = string.Join("\n\n",
            "# The hive",
            "- Worker bees fly from the hive to gather nectar and pollen from flowers.",
            "* The **queen** lays the eggs of the colony in the hive.",
            "1. Worker bees feed the queen with honey and pollen in the hive.",
            BeeText.Text);

        var summary = ExtractiveSummarizer.Summarize(text, "en", 120).Text;

        summary.Split('\n').Should().NotContain(line => line.StartsWith('#') || line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal) || line.StartsWith("1. ", StringComparison.Ordinal));
        summary.Should().NotContain("**").And.Contain("The queen lays the eggs of the colony in the hive.");
    }

    [Fact]
    public void A_sentence_without_a_letter_is_never_chosen()
    {
        var summary = ExtractiveSummarizer.Summarize("Bees make honey. 42! Bees make wax. 1.", "en", 10).Text;

        summary.Should().Be("Bees make honey. Bees make wax.");
    }
}
