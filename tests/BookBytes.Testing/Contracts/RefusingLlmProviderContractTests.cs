using BookBytes.Llm;
using FluentAssertions;
using Xunit;

namespace BookBytes.Testing.Contracts;

/// <summary>
/// The <see cref="LlmProviderContractTests"/> and the behaviour of an adapter whose API reports that the model
/// refused to answer (OpenAI's <c>refusal</c>, Anthropic's <c>stop_reason: refusal</c>). Ollama's API has no
/// such signal, so its tests inherit only the base suite.
/// </summary>
public abstract class RefusingLlmProviderContractTests : LlmProviderContractTests
{
    /// <summary>Answers every request with the model refusing, saying <paramref name="explanation"/> where the wire format carries it.</summary>
    protected abstract void RespondWithRefusal(string explanation);

    [Fact]
    public async Task A_refusal_is_a_non_transient_ProviderResponseException()
    {
        RespondWithRefusal("I can't help with that.");

        var act = () => Provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().Contain("refused");
    }

    [Fact]
    public async Task A_refused_text_summary_is_a_non_transient_ProviderResponseException()
    {
        RespondWithRefusal("I can't help with that.");

        var act = () => Provider.SummarizeTextAsync(Book, new TextSummaryRequest(new ChapterHeading(1, "Intro"), ChapterText, SummaryScope.Chapter, 300));

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().Contain("refused");
    }
}
