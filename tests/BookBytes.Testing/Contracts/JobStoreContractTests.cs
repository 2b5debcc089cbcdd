using BookBytes.Jobs;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BookBytes.Testing.Contracts;

/// <summary>
/// The behaviour every <see cref="IJobStore"/> must have. Each store's test class inherits this suite
/// and supplies a fresh, empty store whose clock is <see cref="Time"/>.
/// </summary>
public abstract class JobStoreContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Gets the clock the store under test reads.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>Gets the store under test.</summary>
    protected IJobStore Store { get; private set; } = null!;

    /// <summary>Creates a fresh, empty store that reads <paramref name="time"/>.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync(FakeTimeProvider time);

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync(Time);

    public virtual Task DisposeAsync() => (Store as IAsyncDisposable)?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    private Task<Job> EnqueueAsync(string payload = "{}", int maxAttempts = 3, DateTimeOffset? notBefore = null)
        => Store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, payload, maxAttempts, notBefore));

    [Fact]
    public async Task Enqueue_then_get_returns_a_pending_job()
    {
        var job = await EnqueueAsync("{\"a\":1}", maxAttempts: 5);

        var stored = await Store.GetAsync(job.Id);

        stored.Should().NotBeNull();
        stored!.Status.Should().Be(JobStatus.Pending);
        stored.Payload.Should().Be("{\"a\":1}");
        stored.MaxAttempts.Should().Be(5);
        stored.Attempt.Should().Be(0);
        stored.Progress.Should().Be(0);
        stored.Type.Should().Be(JobKind.AudiobookGeneration);
        stored.CreatedAt.Should().BeCloseTo(Time.GetUtcNow(), TimeSpan.FromMilliseconds(1));
        stored.NotBefore.Should().BeCloseTo(Time.GetUtcNow(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task The_enqueued_job_is_exactly_what_get_reads_back_even_below_a_microsecond()
    {
        Time.Advance(TimeSpan.FromTicks(1_234_567));

        var job = await EnqueueAsync(notBefore: Time.GetUtcNow().AddTicks(3));

        (await Store.GetAsync(job.Id)).Should().Be(job);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_null()
    {
        (await Store.GetAsync(Guid.NewGuid())).Should().BeNull();
    }

    [Fact]
    public async Task Enqueue_refuses_an_empty_payload_or_no_attempts()
    {
        await FluentActions.Awaiting(() => EnqueueAsync(" ")).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => EnqueueAsync(maxAttempts: 0)).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Claim_returns_null_when_nothing_is_due()
    {
        (await Store.ClaimNextAsync("w1", Lease)).Should().BeNull();
    }

    [Fact]
    public async Task Claim_takes_the_oldest_due_job_first()
    {
        var first = await EnqueueAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await EnqueueAsync();

        var a = await Store.ClaimNextAsync("w1", Lease);
        var b = await Store.ClaimNextAsync("w2", Lease);

        a!.Job.Id.Should().Be(first.Id);
        b!.Job.Id.Should().Be(second.Id);
        (await Store.ClaimNextAsync("w3", Lease)).Should().BeNull();
    }

    [Fact]
    public async Task Claim_orders_by_due_time_before_creation_and_skips_jobs_not_yet_due()
    {
        var later = await EnqueueAsync(notBefore: Time.GetUtcNow().AddSeconds(10));
        Time.Advance(TimeSpan.FromSeconds(1));
        var now = await EnqueueAsync();

        var a = await Store.ClaimNextAsync("w1", Lease);
        var none = await Store.ClaimNextAsync("w1", Lease);
        Time.Advance(TimeSpan.FromSeconds(9));
        var b = await Store.ClaimNextAsync("w1", Lease);

        a!.Job.Id.Should().Be(now.Id);
        none.Should().BeNull();
        b!.Job.Id.Should().Be(later.Id);
    }

    [Fact]
    public async Task Claim_counts_the_attempt_and_hands_out_a_lease()
    {
        var job = await EnqueueAsync();

        var claimed = await Store.ClaimNextAsync("worker-7", Lease);

        claimed!.Job.Id.Should().Be(job.Id);
        claimed.Job.Status.Should().Be(JobStatus.Processing);
        claimed.Job.Attempt.Should().Be(1);
        claimed.Job.LeaseOwner.Should().Be("worker-7");
        claimed.Job.StartedAt.Should().BeCloseTo(Time.GetUtcNow(), TimeSpan.FromMilliseconds(1));
        claimed.Lease.JobId.Should().Be(job.Id);
        claimed.Lease.WorkerId.Should().Be("worker-7");
        claimed.Lease.ExpiresAt.Should().BeCloseTo(Time.GetUtcNow() + Lease, TimeSpan.FromMilliseconds(1));
        (await Store.GetAsync(job.Id))!.Status.Should().Be(JobStatus.Processing);
    }

    [Fact]
    public async Task A_claimed_job_is_not_claimed_again_while_its_lease_holds()
    {
        await EnqueueAsync();
        await Store.ClaimNextAsync("w1", Lease);
        Time.Advance(Lease - TimeSpan.FromSeconds(1));

        (await Store.ClaimNextAsync("w2", Lease)).Should().BeNull();
    }

    [Fact]
    public async Task An_expired_lease_is_reclaimed_by_another_worker_whose_writes_win()
    {
        var job = await EnqueueAsync();
        var old = await Store.ClaimNextAsync("w1", Lease);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));

        var reclaimed = await Store.ClaimNextAsync("w2", Lease);

        reclaimed!.Job.Id.Should().Be(job.Id);
        reclaimed.Job.Attempt.Should().Be(1, "a rescue after a crash continues the attempt; attempts count failures");
        reclaimed.Job.Rescues.Should().Be(1);
        reclaimed.Lease.Token.Should().NotBe(old!.Lease.Token);
        await FluentActions.Awaiting(() => Store.UpdateProgressAsync(old.Lease, 50, "old")).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Store.CompleteAsync(old.Lease)).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Store.HeartbeatAsync(old.Lease, Lease)).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Store.FailAsync(old.Lease, new JobError("X", "old"))).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Store.ScheduleRetryAsync(old.Lease, new JobError("X", "old"), Time.GetUtcNow())).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Store.ReleaseAsync(old.Lease)).Should().ThrowAsync<LeaseLostException>();
        (await Store.GetAsync(job.Id))!.Status.Should().Be(JobStatus.Processing, "none of the old worker's writes landed");
        await Store.UpdateProgressAsync(reclaimed.Lease, 30, "new");
        await Store.CompleteAsync(reclaimed.Lease);
        var stored = await Store.GetAsync(job.Id);
        stored!.Status.Should().Be(JobStatus.Completed);
        stored.CurrentStep.Should().Be("new");
    }

    [Fact]
    public async Task Heartbeat_extends_the_lease()
    {
        await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);
        Time.Advance(TimeSpan.FromSeconds(50));

        var renewed = await Store.HeartbeatAsync(claimed!.Lease, Lease);
        Time.Advance(TimeSpan.FromSeconds(50));

        renewed.ExpiresAt.Should().BeCloseTo(Time.GetUtcNow() - TimeSpan.FromSeconds(50) + Lease, TimeSpan.FromMilliseconds(1));
        (await Store.ClaimNextAsync("w2", Lease)).Should().BeNull();
        await Store.UpdateProgressAsync(renewed, 10, "still mine");
    }

    [Fact]
    public async Task Progress_never_goes_backwards_but_the_step_and_usage_follow()
    {
        var job = await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);

        await Store.UpdateProgressAsync(claimed!.Lease, 50, "half", new UsageTotals(new Llm.LlmUsage(10, 20), 300));
        await Store.UpdateProgressAsync(claimed.Lease, 30, "late report");

        var stored = await Store.GetAsync(job.Id);
        stored!.Progress.Should().Be(50);
        stored.CurrentStep.Should().Be("late report");
        stored.Usage.Should().Be(new UsageTotals(new Llm.LlmUsage(10, 20), 300));
    }

    [Fact]
    public async Task Progress_outside_0_to_100_is_refused()
    {
        await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);

        await FluentActions.Awaiting(() => Store.UpdateProgressAsync(claimed!.Lease, 101, "x")).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => Store.UpdateProgressAsync(claimed!.Lease, -1, "x")).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Complete_sets_progress_100_and_ends_the_lease()
    {
        var job = await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);
        Time.Advance(TimeSpan.FromSeconds(3));

        await Store.CompleteAsync(claimed!.Lease);

        var stored = await Store.GetAsync(job.Id);
        stored!.Status.Should().Be(JobStatus.Completed);
        stored.Progress.Should().Be(100);
        stored.CompletedAt.Should().BeCloseTo(Time.GetUtcNow(), TimeSpan.FromMilliseconds(1));
        stored.LeaseOwner.Should().BeNull();
        await FluentActions.Awaiting(() => Store.UpdateProgressAsync(claimed.Lease, 10, "after")).Should().ThrowAsync<LeaseLostException>();
        Time.Advance(Lease * 2);
        (await Store.ClaimNextAsync("w2", Lease)).Should().BeNull();
    }

    [Fact]
    public async Task Fail_records_the_error_and_is_terminal()
    {
        var job = await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);

        await Store.FailAsync(claimed!.Lease, new JobError("BOOK_NOT_KNOWN", "Not known."));

        var stored = await Store.GetAsync(job.Id);
        stored!.Status.Should().Be(JobStatus.Failed);
        stored.ErrorCode.Should().Be("BOOK_NOT_KNOWN");
        stored.ErrorMessage.Should().Be("Not known.");
        stored.CompletedAt.Should().NotBeNull();
        Time.Advance(Lease * 2);
        (await Store.ClaimNextAsync("w2", Lease)).Should().BeNull();
    }

    [Fact]
    public async Task A_pending_job_cancelled_is_terminal_and_never_claimed()
    {
        var job = await EnqueueAsync();
        Time.Advance(TimeSpan.FromSeconds(3));

        var cancelled = await Store.CancelAsync(job.Id);

        cancelled!.Status.Should().Be(JobStatus.Cancelled);
        cancelled.IsTerminal.Should().BeTrue();
        cancelled.ErrorCode.Should().Be(ErrorCodes.JobCancelled);
        cancelled.CompletedAt.Should().BeCloseTo(Time.GetUtcNow(), TimeSpan.FromMilliseconds(1));
        cancelled.Attempt.Should().Be(0);
        (await Store.GetAsync(job.Id)).Should().BeEquivalentTo(cancelled);
        Time.Advance(Lease * 2);
        (await Store.ClaimNextAsync("w1", Lease)).Should().BeNull();
        (await Store.CountAsync(JobStatus.Cancelled)).Should().Be(1);
    }

    [Fact]
    public async Task A_processing_job_cancelled_loses_its_lease_so_its_worker_can_write_nothing_more()
    {
        var job = await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);

        var cancelled = await Store.CancelAsync(job.Id);

        cancelled!.Status.Should().Be(JobStatus.Cancelled);
        cancelled.LeaseOwner.Should().BeNull();
        cancelled.LeaseExpiresAt.Should().BeNull();
        await FluentActions.Awaiting(() => Store.HeartbeatAsync(claimed!.Lease, Lease)).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Store.UpdateProgressAsync(claimed!.Lease, 50, "speech")).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Store.CompleteAsync(claimed!.Lease)).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Store.ScheduleRetryAsync(claimed!.Lease, new JobError("X", "x"), Time.GetUtcNow())).Should().ThrowAsync<LeaseLostException>();
        Time.Advance(Lease * 2);
        (await Store.ClaimNextAsync("w2", Lease)).Should().BeNull("a cancelled job is not rescued when its old lease would have expired");
        (await Store.GetAsync(job.Id))!.Status.Should().Be(JobStatus.Cancelled);
    }

    [Fact]
    public async Task Cancelling_an_ended_job_leaves_it_as_it_ended_and_an_unknown_one_is_null()
    {
        var job = await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);
        await Store.CompleteAsync(claimed!.Lease);
        var again = await EnqueueAsync();
        await Store.CancelAsync(again.Id);

        var completed = await Store.CancelAsync(job.Id);
        var twice = await Store.CancelAsync(again.Id);

        completed!.Status.Should().Be(JobStatus.Completed);
        completed.ErrorCode.Should().BeNull();
        twice!.Status.Should().Be(JobStatus.Cancelled);
        (await Store.CancelAsync(Guid.NewGuid())).Should().BeNull();
    }

    [Fact]
    public async Task A_scheduled_retry_is_claimable_once_due_and_counts_the_next_attempt()
    {
        var job = await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);

        await Store.ScheduleRetryAsync(claimed!.Lease, new JobError("PROVIDER_FAILED", "429"), Time.GetUtcNow().AddSeconds(30));

        var pending = await Store.GetAsync(job.Id);
        pending!.Status.Should().Be(JobStatus.Pending);
        pending.ErrorCode.Should().Be("PROVIDER_FAILED");
        pending.NotBefore.Should().BeCloseTo(Time.GetUtcNow().AddSeconds(30), TimeSpan.FromMilliseconds(1));
        (await Store.ClaimNextAsync("w1", Lease)).Should().BeNull();
        Time.Advance(TimeSpan.FromSeconds(30));
        var again = await Store.ClaimNextAsync("w2", Lease);
        again!.Job.Id.Should().Be(job.Id);
        again.Job.Attempt.Should().Be(2);
    }

    [Fact]
    public async Task Release_puts_the_job_back_due_now_without_counting_the_attempt()
    {
        var job = await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);
        await Store.UpdateProgressAsync(claimed!.Lease, 40, "midway");

        await Store.ReleaseAsync(claimed.Lease);

        var released = await Store.GetAsync(job.Id);
        released!.Status.Should().Be(JobStatus.Pending);
        released.Attempt.Should().Be(0);
        released.Progress.Should().Be(40);
        var again = await Store.ClaimNextAsync("w2", Lease);
        again!.Job.Attempt.Should().Be(1);
        await FluentActions.Awaiting(() => Store.CompleteAsync(claimed.Lease)).Should().ThrowAsync<LeaseLostException>();
    }

    [Fact]
    public async Task Rescues_are_counted_apart_from_attempts_and_a_release_after_one_uses_up_no_attempt()
    {
        var job = await EnqueueAsync();
        await Store.ClaimNextAsync("died", Lease);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        await Store.ClaimNextAsync("died too", Lease);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));

        var third = await Store.ClaimNextAsync("w3", Lease);
        await Store.ReleaseAsync(third!.Lease);
        var released = await Store.GetAsync(job.Id);
        var fourth = await Store.ClaimNextAsync("w4", Lease);
        await Store.ScheduleRetryAsync(fourth!.Lease, new JobError("PROVIDER_FAILED", "503"), Time.GetUtcNow());
        var retried = await Store.ClaimNextAsync("w5", Lease);

        third.Job.Attempt.Should().Be(1, "two workers died in the first attempt; it goes on");
        third.Job.Rescues.Should().Be(2);
        released!.Attempt.Should().Be(0, "as any release: the next claim takes the attempt up again");
        released.Rescues.Should().Be(2, "the deaths happened");
        fourth.Job.Attempt.Should().Be(1, "a released attempt is taken up again, not counted twice");
        retried!.Job.Attempt.Should().Be(2, "a failure is what uses up an attempt");
        retried.Job.Rescues.Should().Be(2);
    }

    [Fact]
    public async Task Count_and_list_filter_by_status_oldest_first()
    {
        var a = await EnqueueAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        var b = await EnqueueAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        var c = await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w1", Lease);
        await Store.CompleteAsync(claimed!.Lease);

        (await Store.CountAsync()).Should().Be(3);
        (await Store.CountAsync(JobStatus.Pending)).Should().Be(2);
        (await Store.CountAsync(JobStatus.Completed)).Should().Be(1);
        (await Store.CountAsync(JobStatus.Failed)).Should().Be(0);
        (await Store.ListAsync(JobStatus.Pending)).Select(j => j.Id).Should().Equal(b.Id, c.Id);
        (await Store.ListAsync()).Select(j => j.Id).Should().Equal(a.Id, b.Id, c.Id);
        (await Store.ListAsync(limit: 2)).Should().HaveCount(2);
    }

    [Fact]
    public async Task The_job_list_is_newest_first_filters_by_status_and_kind_and_counts_all_that_match()
    {
        var a = await Store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var b = await Store.EnqueueAsync(new NewJob(JobKind.AudiobookPackaging, "{}"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var c = await Store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var d = await Store.EnqueueAsync(new NewJob(JobKind.AudiobookRefresh, "{}"));
        var claimed = await Store.ClaimNextAsync("w1", Lease);
        await Store.CompleteAsync(claimed!.Lease);

        var all = await Store.ListJobsAsync(new JobQuery());
        var pending = await Store.ListJobsAsync(new JobQuery(Status: JobStatus.Pending));
        var generation = await Store.ListJobsAsync(new JobQuery(Type: JobKind.AudiobookGeneration));
        var pendingGeneration = await Store.ListJobsAsync(new JobQuery(JobStatus.Pending, JobKind.AudiobookGeneration));
        var none = await Store.ListJobsAsync(new JobQuery(JobStatus.Cancelled));

        claimed.Job.Id.Should().Be(a.Id, "the oldest due job is claimed");
        all.Items.Select(j => j.Id).Should().Equal(d.Id, c.Id, b.Id, a.Id);
        all.Total.Should().Be(4);
        all.Items[^1].Status.Should().Be(JobStatus.Completed);
        pending.Items.Select(j => j.Id).Should().Equal(d.Id, c.Id, b.Id);
        pending.Total.Should().Be(3);
        generation.Items.Select(j => j.Id).Should().Equal(c.Id, a.Id);
        generation.Total.Should().Be(2);
        pendingGeneration.Items.Select(j => j.Id).Should().Equal(c.Id);
        pendingGeneration.Total.Should().Be(1);
        none.Items.Should().BeEmpty();
        none.Total.Should().Be(0);
    }

    [Fact]
    public async Task The_job_list_pages_with_skip_and_take_and_keeps_the_total_of_every_page()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await EnqueueAsync()).Id);
        }

        // Five jobs enqueued in the same tick: the id breaks the tie, so pages never overlap or skip one.
        var first = await Store.ListJobsAsync(new JobQuery(Skip: 0, Take: 2));
        var second = await Store.ListJobsAsync(new JobQuery(Skip: 2, Take: 2));
        var third = await Store.ListJobsAsync(new JobQuery(Skip: 4, Take: 2));
        var beyond = await Store.ListJobsAsync(new JobQuery(Skip: 10, Take: 2));
        var negative = () => Store.ListJobsAsync(new JobQuery(Skip: -1));

        first.Items.Concat(second.Items).Concat(third.Items).Select(j => j.Id).Should().BeEquivalentTo(ids).And.OnlyHaveUniqueItems();
        first.Items.Concat(second.Items).Concat(third.Items).Select(j => j.Id).Should().Equal((await Store.ListJobsAsync(new JobQuery())).Items.Select(j => j.Id));
        new[] { first, second, third, beyond }.Select(p => p.Total).Should().AllBeEquivalentTo(5L);
        third.Items.Should().ContainSingle();
        beyond.Items.Should().BeEmpty();
        await negative.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Retention_deletes_jobs_that_finished_before_the_cutoff_and_keeps_recent_and_unfinished_ones()
    {
        var completed = await RunAsync(j => Store.CompleteAsync(j));
        var failed = await RunAsync(j => Store.FailAsync(j, new JobError("X", "boom")));
        var cancelled = await EnqueueAsync();
        await Store.CancelAsync(cancelled.Id);
        var processing = await EnqueueAsync();
        var pending = await EnqueueAsync(notBefore: Time.GetUtcNow().AddDays(100));
        var claimedOld = await Store.ClaimNextAsync("w1", TimeSpan.FromDays(30));
        Time.Advance(TimeSpan.FromDays(10));
        var recent = await RunAsync(j => Store.CompleteAsync(j));
        var cutoff = Time.GetUtcNow() - TimeSpan.FromDays(5);

        var deleted = await Store.DeleteFinishedJobsAsync(cutoff, 100);
        var again = await Store.DeleteFinishedJobsAsync(cutoff, 100);

        claimedOld!.Job.Id.Should().Be(processing.Id);
        deleted.Should().Be(3);
        again.Should().Be(0);
        (await Store.GetAsync(completed)).Should().BeNull();
        (await Store.GetAsync(failed)).Should().BeNull();
        (await Store.GetAsync(cancelled.Id)).Should().BeNull();
        (await Store.GetAsync(recent))!.Status.Should().Be(JobStatus.Completed);
        (await Store.GetAsync(processing.Id))!.Status.Should().Be(JobStatus.Processing);
        (await Store.GetAsync(pending.Id))!.Status.Should().Be(JobStatus.Pending);
        (await Store.ListJobsAsync(new JobQuery())).Total.Should().Be(3);
    }

    [Fact]
    public async Task Retention_deletes_at_most_the_limit_oldest_finished_first()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await RunAsync(j => Store.CompleteAsync(j)));
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var first = await Store.DeleteFinishedJobsAsync(Time.GetUtcNow(), 2);
        var zero = () => Store.DeleteFinishedJobsAsync(Time.GetUtcNow(), 0);

        first.Should().Be(2);
        (await Store.ListJobsAsync(new JobQuery())).Items.Select(j => j.Id).Should().Equal(ids[2]);
        await zero.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    // Enqueues, claims and ends one job now; returns its id.
    private async Task<Guid> RunAsync(Func<JobLease, Task> end)
    {
        var job = await EnqueueAsync();
        var claimed = await Store.ClaimNextAsync("w-end", Lease);
        claimed!.Job.Id.Should().Be(job.Id);
        await end(claimed.Lease);
        return job.Id;
    }

    [Fact]
    public async Task Eight_claimers_racing_over_1000_jobs_claim_each_exactly_once()
    {
        for (var i = 0; i < 1000; i++)
        {
            await Store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            while (await Store.ClaimNextAsync($"w{w}", TimeSpan.FromMinutes(1)) is { } claimed)
            {
                mine.Add(claimed.Job.Id);
                await Store.CompleteAsync(claimed.Lease);
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        all.Should().HaveCount(1000).And.OnlyHaveUniqueItems();
        (await Store.CountAsync(JobStatus.Completed)).Should().Be(1000);
    }
}
