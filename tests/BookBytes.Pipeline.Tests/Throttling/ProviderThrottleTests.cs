using BookBytes.Pipeline.Throttling;

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
}
