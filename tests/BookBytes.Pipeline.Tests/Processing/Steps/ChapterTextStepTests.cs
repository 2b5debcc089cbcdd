using BookBytes.AudioBooks;
using BookBytes.Llm;
using BookBytes.Pipeline.Processing.Steps;
using BookBytes.Testing.Fakes;

namespace BookBytes.Pipeline.Tests.Processing.Steps;

public class ChapterTextStepTests
{
    [Fact]
    public async Task A_chapter_gets_its_summary_stored_with_word_count_and_tokens()
    {
        using var fixture = await StepFixture.CreateAsync();
        var step = Step(fixture);
        var spend = new ChapterSpend();
        fixture.Progress.SetWork(chapters: 1, done: 0);

        var chapter = await WriteAsync(step, fixture, fixture.Chapter(1), spend);

        chapter.Status.Should().Be(ChapterStatus.Summarized);
        chapter.Summary.Should().Contain(FakeLlmProvider.Marker(1));
        chapter.WordCount.Should().BeInRange(30, 120);
        chapter.Usage.Llm.Should().Be(new LlmUsage(200, 700));
        spend.Unsaved.Llm.Should().Be(LlmUsage.Zero, "the tokens are saved with the chapter");
        (await fixture.Store.GetChaptersAsync(fixture.Book.Id, 1)).Single().Should().Be(chapter);
        (await fixture.Store.GetAsync(fixture.Run.Execution.Job.Id))!.CurrentStep.Should().Be("Chapter 1 of 1 summarized");
    }

    [Fact]
    public async Task A_chapter_that_has_its_text_is_not_asked_for_again()
    {
        using var fixture = await StepFixture.CreateAsync();
        var chapter = fixture.Chapter(2, "Already written.");

        var written = await WriteAsync(Step(fixture), fixture, chapter, new ChapterSpend());

        written.Should().BeSameAs(chapter);
        fixture.Llm.TotalSummaryCalls.Should().Be(0);
    }

    [Fact]
    public async Task An_off_target_summary_is_asked_for_again_and_its_tokens_stay_with_the_chapter()
    {
        using var fixture = await StepFixture.CreateAsync();
        fixture.Llm.SummaryBehavior = (_, call, _) => Task.FromResult(call == 1 ? "Far too short." : null);

        var chapter = await WriteAsync(Step(fixture), fixture, fixture.Chapter(1), new ChapterSpend());

        fixture.Llm.SummaryCalls[1].Should().Be(2);
        chapter.Usage.Llm.Should().Be(new LlmUsage(400, 1400), "the refused answer was paid for too");
    }

    [Fact]
    public async Task When_every_try_is_refused_the_tokens_are_left_for_the_chapters_failure_record()
    {
        using var fixture = await StepFixture.CreateAsync(o => o.Llm.MaxAnswerTries = 2);
        fixture.Llm.SummaryBehavior = (_, _, _) => Task.FromResult<string?>("- a list, not prose");
        var spend = new ChapterSpend();

        var act = () => WriteAsync(Step(fixture), fixture, fixture.Chapter(1), spend);

        await act.Should().ThrowAsync<ProviderResponseException>();
        fixture.Llm.SummaryCalls[1].Should().Be(2, "Llm:MaxAnswerTries, not Jobs:MaxAttempts, bounds the tries");
        spend.Unsaved.Llm.Should().Be(new LlmUsage(400, 1400));
    }

    private static async Task<Chapter> WriteAsync(ChapterTextStep step, StepFixture fixture, Chapter chapter, ChapterSpend spend)
    {
        var voice = new SpeechStep(fixture.Services, fixture.TtsCalls, fixture.Check).Begin(fixture.Run, chapter.Number, spend, CancellationToken.None);
        await using (voice)
        {
            return await step.WriteAsync(fixture.Run, chapter, spend, voice, CancellationToken.None);
        }
    }

    private static ChapterTextStep Step(StepFixture fixture)
        => new(fixture.Services, fixture.Retry, fixture.LlmCalls);
}
