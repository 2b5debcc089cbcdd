using BookBytes.Pipeline.Processing.Steps;
using Microsoft.Extensions.Logging.Abstractions;

namespace BookBytes.Pipeline.Tests.Processing.Steps;

public class AnswerRetryTests
{
    [Fact]
    public async Task An_unusable_answer_is_asked_for_again_up_to_the_tries_then_its_error_passes()
    {
        var retry = new AnswerRetry(maxTries: 3, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);
        var calls = 0;

        var act = () => retry.RunAsync<int>("Summary", _ =>
        {
            calls++;
            throw new ProviderResponseException($"bad answer {calls}");
        }, CancellationToken.None);

        await act.Should().ThrowAsync<ProviderResponseException>().WithMessage("bad answer 3");
        calls.Should().Be(3);
    }

    [Fact]
    public async Task A_usable_answer_after_a_refused_one_is_returned()
    {
        var retry = new AnswerRetry(maxTries: 3, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);
        var calls = 0;

        var answer = await retry.RunAsync("Summary", _ => ++calls == 1 ? throw new ProviderResponseException("bad") : Task.FromResult(42), CancellationToken.None);

        answer.Should().Be(42);
        calls.Should().Be(2);
    }

    [Fact]
    public async Task Other_provider_failures_are_not_asked_for_again_within_the_attempt()
    {
        var retry = new AnswerRetry(maxTries: 3, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);
        var calls = 0;

        var act = () => retry.RunAsync<int>("Speech", _ =>
        {
            calls++;
            throw new ProviderException("503", isTransient: true);
        }, CancellationToken.None);

        await act.Should().ThrowAsync<ProviderException>();
        calls.Should().Be(1, "the HTTP layer retried it already; the job's retry comes next");
    }
}
