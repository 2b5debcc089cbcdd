using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Processing.Steps;

namespace BookBytes.Pipeline.Tests.Processing.Steps;

public class AudioBookOutcomeTests
{
    [Theory]
    [InlineData(new[] { ChapterStatus.Completed, ChapterStatus.Completed }, AudioBookStatus.Completed)]
    [InlineData(new[] { ChapterStatus.Completed, ChapterStatus.Failed }, AudioBookStatus.PartiallyCompleted)]
    [InlineData(new[] { ChapterStatus.Failed, ChapterStatus.Summarized }, AudioBookStatus.Failed)]
    public void The_status_is_what_the_chapters_make(ChapterStatus[] chapters, AudioBookStatus expected)
    {
        var list = chapters.Select((s, i) => new Chapter { AudioBookId = Guid.NewGuid(), Version = 1, Number = i + 1, Title = "T", Status = s, UpdatedAt = DateTimeOffset.UtcNow }).ToList();

        AudioBookOutcome.StatusOf(list).Should().Be(expected);
    }

    [Fact]
    public async Task A_book_whose_chapters_are_all_stored_is_completed_with_their_duration_and_the_attempts_usage()
    {
        using var fixture = await StepFixture.CreateAsync();
        fixture.Progress.SpendCharacters(700);
        var chapters = new[] { Completed(fixture, 1, 10.5), Completed(fixture, 2, 4.5) };

        var error = await new AudioBookOutcome(fixture.Services).FinishAsync(fixture.Run, fixture.Book, chapters, CancellationToken.None);

        error.Should().BeNull();
        var book = (await fixture.Store.GetAudioBookAsync(fixture.Book.Id))!;
        book.Status.Should().Be(AudioBookStatus.Completed);
        book.TotalDurationSeconds.Should().Be(15);
        book.Usage.TtsCharacters.Should().Be(700);
        book.ErrorMessage.Should().BeNull();
    }

    [Fact]
    public async Task Failed_chapters_leave_a_partial_book_and_an_error_naming_them()
    {
        using var fixture = await StepFixture.CreateAsync();
        var failed = fixture.Chapter(2) with { Status = ChapterStatus.Failed, ErrorMessage = "The voice was refused." };

        var error = await new AudioBookOutcome(fixture.Services).FinishAsync(fixture.Run, fixture.Book, [Completed(fixture, 1, 3), failed], CancellationToken.None);

        error.Should().Be(new JobError(ErrorCodes.ChaptersFailed, "Chapter 2 failed: The voice was refused."));
        var book = (await fixture.Store.GetAudioBookAsync(fixture.Book.Id))!;
        book.Status.Should().Be(AudioBookStatus.PartiallyCompleted);
        book.ErrorMessage.Should().Be(error!.Message);
    }

    [Fact]
    public async Task A_new_version_completed_replaces_the_served_one_and_its_files_go()
    {
        using var fixture = await StepFixture.CreateAsync();
        var oldKey = $"audiobooks/{fixture.Book.Id:D}/v1/chapter-001.mp3";
        fixture.Storage.Objects[oldKey] = ([1, 2, 3], "audio/mpeg");
        await fixture.Store.SaveChaptersAsync([Completed(fixture, 1, 3) with { AudioKey = oldKey }], fixture.Run.Lease);
        var building = fixture.Book with { PendingVersion = 2 };
        var run = fixture.Run with { Version = 2 };

        var error = await new AudioBookOutcome(fixture.Services).FinishAsync(run, building, [Completed(fixture, 1, 3) with { Version = 2 }], CancellationToken.None);

        error.Should().BeNull();
        var book = (await fixture.Store.GetAudioBookAsync(fixture.Book.Id))!;
        book.Version.Should().Be(2);
        book.PendingVersion.Should().BeNull();
        fixture.Storage.Objects.Should().NotContainKey(oldKey);
        (await fixture.Store.GetChaptersAsync(fixture.Book.Id, 1)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_final_failure_of_a_new_version_keeps_the_served_versions_status()
    {
        using var fixture = await StepFixture.CreateAsync();
        await fixture.Store.SaveChaptersAsync([Completed(fixture, 1, 3)], fixture.Run.Lease);

        await new AudioBookOutcome(fixture.Services).RecordFailureAsync(
            fixture.Book.Id, targetVersion: 2, new JobError(ErrorCodes.ProviderFailed, "The model is down."), fixture.Run.Lease, CancellationToken.None);

        var book = (await fixture.Store.GetAudioBookAsync(fixture.Book.Id))!;
        book.Status.Should().Be(AudioBookStatus.Completed);
        book.ErrorMessage.Should().Be("The new version could not be built: The model is down.");
    }

    [Fact]
    public async Task A_failure_after_the_new_version_was_promoted_keeps_it_served()
    {
        using var fixture = await StepFixture.CreateAsync();
        var run = fixture.Run with { Version = 2 };
        var outcome = new AudioBookOutcome(fixture.Services);
        await fixture.Store.SaveChaptersAsync([Completed(fixture, 1, 3) with { Version = 2 }], fixture.Run.Lease);
        await outcome.FinishAsync(run, fixture.Book with { PendingVersion = 2 }, [Completed(fixture, 1, 3) with { Version = 2 }], CancellationToken.None);

        // As when a write after the promotion (the old version's clean-up, the last progress report) failed for good.
        await outcome.RecordFailureAsync(fixture.Book.Id, targetVersion: 2, new JobError(ErrorCodes.StorageFailed, "The store went away."), fixture.Run.Lease, CancellationToken.None);

        var book = (await fixture.Store.GetAudioBookAsync(fixture.Book.Id))!;
        book.Version.Should().Be(2, "the failure record changes the status and the message, not what was promoted");
        book.PendingVersion.Should().BeNull();
        book.TotalDurationSeconds.Should().Be(3);
        book.ErrorMessage.Should().Be("The store went away.");
    }

    private static Chapter Completed(StepFixture fixture, int number, double seconds)
        => fixture.Chapter(number, "Text.") with { Status = ChapterStatus.Completed, DurationSeconds = seconds, AudioKey = $"audiobooks/{fixture.Book.Id:D}/v1/chapter-{number:D3}.mp3" };
}
