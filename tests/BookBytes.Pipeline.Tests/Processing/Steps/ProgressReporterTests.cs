using BookBytes.Llm;
using BookBytes.Pipeline.Processing.Steps;
using BookBytes.Pipeline.Tests.Processing;

namespace BookBytes.Pipeline.Tests.Processing.Steps;

public class ProgressReporterTests
{
    [Fact]
    public async Task Units_done_move_progress_from_20_to_90_and_never_back()
    {
        using var fixture = await StepFixture.CreateAsync();
        var progress = fixture.Progress;
        progress.SetWork(chapters: 4, done: 2);

        await progress.ReportAsync(null, "4 chapters known", CancellationToken.None);
        var known = (await fixture.Store.GetAsync(fixture.Run.Execution.Job.Id))!.Progress;
        await progress.AdvanceAsync("one more", CancellationToken.None);
        var advanced = (await fixture.Store.GetAsync(fixture.Run.Execution.Job.Id))!;
        await progress.ReportAsync(ProgressReporter.Claimed, "late report", CancellationToken.None);
        var late = (await fixture.Store.GetAsync(fixture.Run.Execution.Job.Id))!;

        known.Should().Be(20 + (70 * 2 / 8));
        advanced.Progress.Should().Be(20 + (70 * 3 / 8));
        advanced.CurrentStep.Should().Be("one more");
        late.Progress.Should().Be(advanced.Progress, "progress never goes backwards");
        progress.Chapters.Should().Be(4);
    }

    [Fact]
    public async Task Usage_of_the_attempt_is_added_to_what_the_job_used_before()
    {
        using var fixture = await StepFixture.CreateAsync();
        var progress = fixture.Progress;

        progress.SpendTokens(new LlmUsage(100, 50));
        progress.SpendCharacters(1200);
        progress.SpendTokens(new LlmUsage(1, 2));
        await progress.ReportAsync(50, "spent", CancellationToken.None);

        progress.Usage.Should().Be(new UsageTotals(new LlmUsage(101, 52), 1200));
        (await fixture.Store.GetAsync(fixture.Run.Execution.Job.Id))!.Usage.Should().Be(fixture.Run.Execution.Job.Usage + progress.Usage);
    }

    [Fact]
    public async Task With_no_work_known_progress_is_the_chapters_done_mark()
    {
        using var fixture = await StepFixture.CreateAsync();

        fixture.Progress.Percent.Should().Be(ProgressReporter.ChaptersDone);
    }

    [Fact]
    public async Task A_report_the_store_fails_to_take_is_logged_and_the_work_goes_on_but_a_lost_lease_stops_it()
    {
        using var fixture = await StepFixture.CreateAsync();
        var store = new RecordingJobStore(fixture.Store) { FailProgress = true };
        using var progress = new ProgressReporter(store, fixture.Metrics, fixture.Run.Execution.Job, fixture.Run.Lease, fixture.Services.Logger);
        var stale = fixture.Run.Lease with { Token = Guid.NewGuid() };
        using var staleProgress = new ProgressReporter(fixture.Store, fixture.Metrics, fixture.Run.Execution.Job, stale, fixture.Services.Logger);

        var unreachable = () => progress.ReportAsync(50, "half", CancellationToken.None);
        var lost = () => staleProgress.ReportAsync(50, "half", CancellationToken.None);

        await unreachable.Should().NotThrowAsync("a chapter stored but not reported is still stored");
        await lost.Should().ThrowAsync<BookBytes.Jobs.LeaseLostException>();
    }
}
