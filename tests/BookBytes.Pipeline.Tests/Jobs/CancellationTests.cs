using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Tests.Processing;
using BookBytes.Testing.Fakes;

namespace BookBytes.Pipeline.Tests.Jobs;

/// <summary>Cancelling jobs: a pending one never runs; a running one stops, calls no provider again, and keeps what it stored.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task A_running_job_cancelled_stops_its_calls_keeps_its_stored_chapter_and_a_refresh_carries_on_from_there()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.CancelCheckInterval = TimeSpan.FromMilliseconds(50)).StartAsync();
        node.Llm.ChapterCount = 4;
        var blocking = true;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Tts.Behavior = async (request, _, cancellationToken) =>
        {
            if (blocking && !request.Text.Contains(FakeLlmProvider.Marker(1), StringComparison.Ordinal))
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    stopped.TrySetResult();
                    throw;
                }
            }
        };
        var isbn = node.Catalog.Add("978-0-306-40615-7", "Signals and Noise");
        var started = await node.Processing.StartProcessingAsync(isbn);
        await node.WaitUntilAsync(
            async () => (await node.Store.GetChaptersAsync(started.AudioBook.Id, 1)).Any(c => c.Status == ChapterStatus.Completed),
            "chapter 1 to be stored while the others' speech hangs");

        var cancelled = await node.Processing.CancelJobAsync(started.Job.Id);
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await node.WaitUntilAsync(async () => (await node.Store.GetAsync(started.Job.Id))!.IsTerminal, "the job to end");
        var callsAtStop = node.Tts.Calls;
        await Task.Delay(500);

        cancelled.Job.Status.Should().Be(JobStatus.Cancelled);
        cancelled.AudioBookId.Should().Be(started.AudioBook.Id);
        node.Tts.Calls.Should().Be(callsAtStop, "nothing more is spoken once the job is cancelled");
        (await node.Store.GetAsync(started.Job.Id))!.Status.Should().Be(JobStatus.Cancelled, "the stopped worker records nothing over the cancel");
        var book = (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!;
        book.Status.Should().Be(AudioBookStatus.PartiallyCompleted);
        book.ErrorMessage.Should().Contain("Cancelled with 1 of 4 chapters stored");
        var again = () => node.Processing.CancelJobAsync(started.Job.Id);
        (await again()).Job.Status.Should().Be(JobStatus.Cancelled, "cancelling twice answers the same");

        blocking = false;
        var firstSpoken = node.Tts.CallsContaining(FakeLlmProvider.Marker(1));
        var refresh = await node.Processing.RefreshAsync(started.AudioBook.Id);
        (await node.WaitForJobAsync(refresh.Job.Id)).Status.Should().Be(JobStatus.Completed);

        (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!.Status.Should().Be(AudioBookStatus.Completed);
        node.Tts.CallsContaining(FakeLlmProvider.Marker(1)).Should().Be(firstSpoken, "the chapter stored before the cancel is not spoken again");
    }

    [Fact]
    public async Task A_pending_job_cancelled_never_runs_and_an_ended_job_cannot_be_cancelled()
    {
        await using var node = new PipelineHarness();
        var isbn = node.Catalog.Add("978-0-306-40615-7", "Signals and Noise");
        var started = await node.Processing.StartProcessingAsync(isbn);

        var cancelled = await node.Processing.CancelJobAsync(started.Job.Id);
        await node.StartAsync();
        var refresh = await node.Processing.RefreshAsync(started.AudioBook.Id);
        (await node.WaitForJobAsync(refresh.Job.Id)).Status.Should().Be(JobStatus.Completed);
        var ended = () => node.Processing.CancelJobAsync(refresh.Job.Id);
        var unknown = () => node.Processing.CancelJobAsync(Guid.NewGuid());

        cancelled.Job.Status.Should().Be(JobStatus.Cancelled);
        (await node.Store.GetAsync(started.Job.Id))!.Attempt.Should().Be(0, "it never ran");
        (await ended.Should().ThrowAsync<BookBytesException>()).Which.ErrorCode.Should().Be(ErrorCodes.JobEnded);
        await unknown.Should().ThrowAsync<JobNotFoundException>();
    }
}
