using BookBytes.Books;
using BookBytes.Llm;
using BookBytes.Pipeline.Processing.Steps;
using BookBytes.Testing.Fakes;

namespace BookBytes.Pipeline.Tests.Processing.Steps;

public class AnswerValidatorTests
{
    [Fact]
    public void An_outline_of_a_book_the_model_does_not_know_is_not_asked_for_again()
    {
        var act = () => AnswerValidator.ValidateOutline(new BookOutline(false, [], LlmUsage.Zero), "Unknown Book");

        act.Should().Throw<BookNotKnownException>().Which.IsTransient.Should().BeFalse();
    }

    [Theory]
    [InlineData(new[] { 1, 3 }, "position 2 is numbered 3")]
    [InlineData(new int[0], "lists no chapters")]
    public void A_misnumbered_or_empty_outline_is_an_unusable_answer(int[] numbers, string message)
    {
        var outline = new BookOutline(true, [.. numbers.Select(n => new ChapterHeading(n, "Title"))], LlmUsage.Zero);

        var act = () => AnswerValidator.ValidateOutline(outline, "Book");

        var thrown = act.Should().Throw<ProviderResponseException>().Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain(message);
    }

    [Fact]
    public void An_untitled_chapter_is_an_unusable_answer()
    {
        var act = () => AnswerValidator.ValidateOutline(new BookOutline(true, [new ChapterHeading(1, "One"), new ChapterHeading(2, " ")], LlmUsage.Zero), "Book");

        act.Should().Throw<ProviderResponseException>().WithMessage("*Chapter 2*no title*");
    }

    [Theory]
    [InlineData(49)]
    [InlineData(201)]
    public void A_summary_outside_half_to_twice_the_target_is_refused(int words)
    {
        var act = () => AnswerValidator.ValidateSummary(4, string.Join(' ', Enumerable.Repeat("word", words)), 100);

        act.Should().Throw<ProviderResponseException>().WithMessage($"*chapter 4 has {words} words; 50 to 200*");
    }

    [Theory]
    [InlineData("# Heading\n")]
    [InlineData("- a list item\n")]
    [InlineData("12. a numbered item\n")]
    [InlineData("```\n")]
    [InlineData("Some **bold** words. ")]
    public void A_summary_that_is_not_plain_prose_is_refused(string markup)
    {
        var text = markup + FakeLlmProvider.SummaryText(1, "Title", 100);

        var act = () => AnswerValidator.ValidateSummary(1, text, 100);

        act.Should().Throw<ProviderResponseException>().WithMessage("*not plain prose*");
    }

    [Fact]
    public void A_plain_summary_of_the_target_length_passes()
    {
        var act = () => AnswerValidator.ValidateSummary(1, FakeLlmProvider.SummaryText(1, "Title", 100), 100);

        act.Should().NotThrow();
    }
}
