using BookBytes.Pipeline.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace BookBytes.Pipeline.Tests.Throttling;

public class ProviderThrottleTests
{
    [Fact]
    public async Task No_more_calls_than_the_per_minute_limit_start_within_a_minute()
    {
        using var throttle = new ProviderThrottle(maxConcurrency: 10, requestsPerMinute: 3);
        using var cancel = new CancellationTokenSource();
        var started = 0;
        var threeStarted = new TaskCompletionSource();

        var calls = Enumerable.Range(0, 5).Select(_ => throttle.RunAsync(
            _ =>
            {
                if (Interlocked.Increment(ref started) == 3)
                {
                    threeStarted.SetResult();
                }

                return Task.FromResult(true);
            },
            cancel.Token)).ToList();
        await threeStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAny(calls.Skip(3).Append(Task.Delay(300))); // the next permits free up only as the minute slides on
        var startedWithinTheMinute = Volatile.Read(ref started);
        await cancel.CancelAsync();

        foreach (var waiting in calls.Skip(3))
        {
            await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>("a waiting call is cancelled, not started");
        }

        startedWithinTheMinute.Should().Be(3);
        Volatile.Read(ref started).Should().Be(3);
        calls.Take(3).Should().OnlyContain(c => c.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_429_halves_the_limit_and_holds_new_calls_until_its_retry_after_has_passed()
    {
        var time = new FakeTimeProvider();
        using var throttle = new ProviderThrottle(maxConcurrency: 8, requestsPerMinute: 0, time);

        var limited = () => throttle.RunAsync<int>(_ => throw new ProviderException("busy", isTransient: true) { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(2) }, CancellationToken.None);
        await limited.Should().ThrowAsync<ProviderException>();
        var waiting = throttle.RunAsync(_ => Task.FromResult(42), CancellationToken.None);

        throttle.Limit.Should().Be(4);
        throttle.PausedUntil.Should().Be(time.GetUtcNow() + TimeSpan.FromSeconds(2));
        waiting.IsCompleted.Should().BeFalse("the provider asked for two seconds");
        time.Advance(TimeSpan.FromSeconds(1.9));
        waiting.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(0.1));
        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(42);
    }

    [Fact]
    public async Task Several_429s_of_one_burst_halve_the_limit_once_and_successes_raise_it_again()
    {
        var time = new FakeTimeProvider();
        using var throttle = new ProviderThrottle(maxConcurrency: 8, requestsPerMinute: 0, time);
        var release = new TaskCompletionSource();
        var inFlight = Enumerable.Range(0, 3).Select(_ => throttle.RunAsync<int>(async _ =>
        {
            await release.Task;
            throw new ProviderException("busy", isTransient: true) { StatusCode = 429 };
        }, CancellationToken.None)).ToList();

        release.SetResult();
        foreach (var call in inFlight)
        {
            await FluentActions.Awaiting(() => call).Should().ThrowAsync<ProviderException>();
        }

        throttle.Limit.Should().Be(4, "calls in flight together are one signal");
        time.Advance(ProviderThrottle.DefaultPause);
        for (var i = 0; i < 4 + 5 + 6 + 7; i++)
        {
            await throttle.RunAsync(_ => Task.FromResult(true), CancellationToken.None);
        }

        throttle.Limit.Should().Be(8, "each limit's worth of successes adds one slot, up to the maximum");
    }

    [Fact]
    public async Task No_more_calls_than_the_limit_run_at_once_after_it_was_lowered()
    {
        var time = new FakeTimeProvider();
        using var throttle = new ProviderThrottle(maxConcurrency: 4, requestsPerMinute: 0, time);
        await FluentActions.Awaiting(() => throttle.RunAsync<int>(_ => throw new ProviderException("busy", isTransient: true) { StatusCode = 429 }, CancellationToken.None))
            .Should().ThrowAsync<ProviderException>();
        time.Advance(ProviderThrottle.DefaultPause);
        var running = 0;
        var most = 0;
        var gate = new TaskCompletionSource();

        var calls = Enumerable.Range(0, 6).Select(_ => throttle.RunAsync(async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await gate.Task;
            Interlocked.Decrement(ref running);
            return true;
        }, CancellationToken.None)).ToList();
        await Task.Delay(50);
        var beforeAnyFinished = Volatile.Read(ref most);
        gate.SetResult();
        await Task.WhenAll(calls);

        // Read before the gate opens: once calls succeed the limit grows again (additive increase), by design.
        beforeAnyFinished.Should().Be(2, "the limit was halved from 4 to 2");
    }

    [Fact]
    public async Task A_waiting_call_can_be_cancelled_and_gives_no_slot_away()
    {
        var time = new FakeTimeProvider();
        using var throttle = new ProviderThrottle(maxConcurrency: 1, requestsPerMinute: 0, time);
        var gate = new TaskCompletionSource<bool>();
        var first = throttle.RunAsync(_ => gate.Task, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var second = throttle.RunAsync(_ => Task.FromResult(true), cancel.Token);

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => second).Should().ThrowAsync<OperationCanceledException>();
        gate.SetResult(true);
        await first;

        (await throttle.RunAsync(_ => Task.FromResult(7), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(7);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
