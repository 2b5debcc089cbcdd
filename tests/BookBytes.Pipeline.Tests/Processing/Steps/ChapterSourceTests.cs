using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Llm;
using BookBytes.Pipeline.Processing.Steps;

namespace BookBytes.Pipeline.Tests.Processing.Steps;

public class ChapterSourceTests
{
    [Fact]
    public async Task A_known_table_of_contents_gives_the_chapters_without_an_outline_call()
    {
        using var fixture = await StepFixture.CreateAsync(tableOfContents: ["Beginnings", "Middles", "Ends"]);
        var source = new ChapterSource(fixture.Services, fixture.Retry, fixture.LlmCalls);

        var chapters = await source.GetChaptersAsync(fixture.Run, fixture.Edition, null, CancellationToken.None);

        chapters.Select(c => (c.Number, c.Title)).Should().Equal((1, "Beginnings"), (2, "Middles"), (3, "Ends"));
        fixture.Llm.OutlineCalls.Should().Be(0);
        (await fixture.Store.GetChaptersAsync(fixture.Book.Id, 1)).Should().HaveCount(3).And.OnlyContain(c => c.Status == ChapterStatus.Pending);
    }

    [Fact]
    public async Task Without_a_table_of_contents_the_outline_gives_the_chapters_and_its_tokens_are_counted()
    {
        using var fixture = await StepFixture.CreateAsync();
        fixture.Llm.ChapterCount = 5;
        var source = new ChapterSource(fixture.Services, fixture.Retry, fixture.LlmCalls);

        var chapters = await source.GetChaptersAsync(fixture.Run, fixture.Edition, null, CancellationToken.None);

        chapters.Should().HaveCount(5);
        fixture.Llm.OutlineCalls.Should().Be(1);
        fixture.Progress.Usage.Llm.Should().Be(new LlmUsage(100, 50));
    }

    [Fact]
    public async Task An_unusable_outline_is_asked_for_again_and_every_answer_is_paid_for()
    {
        using var fixture = await StepFixture.CreateAsync();
        fixture.Llm.OutlineOverride = call => call == 1 ? new BookOutline(true, [new ChapterHeading(2, "Misnumbered")], new LlmUsage(10, 5)) : null;
        var source = new ChapterSource(fixture.Services, fixture.Retry, fixture.LlmCalls);

        var chapters = await source.GetChaptersAsync(fixture.Run, fixture.Edition, null, CancellationToken.None);

        chapters.Should().HaveCount(3);
        fixture.Llm.OutlineCalls.Should().Be(2);
        fixture.Progress.Usage.Llm.Should().Be(new LlmUsage(110, 55));
    }

    [Fact]
    public async Task Stored_chapters_are_taken_as_they_are()
    {
        using var fixture = await StepFixture.CreateAsync();
        await fixture.Store.SaveChaptersAsync([fixture.Chapter(1, "A stored summary.")], fixture.Run.Lease);
        var source = new ChapterSource(fixture.Services, fixture.Retry, fixture.LlmCalls);

        var chapters = await source.GetChaptersAsync(fixture.Run, fixture.Edition, null, CancellationToken.None);

        chapters.Should().ContainSingle().Which.Summary.Should().Be("A stored summary.");
        fixture.Llm.OutlineCalls.Should().Be(0);
    }

    [Fact]
    public void The_table_of_contents_is_its_top_level_without_front_and_back_matter()
    {
        var edition = new Edition
        {
            Id = Guid.NewGuid(),
            Title = "Nested",
            TableOfContents =
            [
                new TableOfContentsEntry("Preface", Level: 0, IsFrontOrBackMatter: true),
                new TableOfContentsEntry(" Part One ", Level: 1),
                new TableOfContentsEntry("Section 1.1", Level: 2),
                new TableOfContentsEntry("Part Two", Level: 1),
                new TableOfContentsEntry("", Level: 1),
            ],
        };

        ChapterSource.TableOfContents(edition).Should().Equal("Part One", "Part Two");
    }
}
