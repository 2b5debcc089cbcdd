using BookBytes.Pipeline.Throttling;
using Microsoft.Extensions.Logging;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Retries a provider call where it failed, when the failure is transient (throttling, a server error, a
/// time-out, an open circuit): up to the step's budget (<c>Llm:CallRetries</c>, <c>Tts:CallRetries</c>), waiting
/// <c>Jobs:StepRetryDelay</c> doubled per retry with ±20 % jitter (at most <see cref="MaxDelay"/>), and never less
/// than the provider's <c>Retry-After</c>. Each call goes through the provider's throttle again, which a 429 has
/// slowed down meanwhile. Unusable answers are <see cref="AnswerRetry"/>'s; permanent failures pass at once.
/// </summary>
/// <param name="maxRetries">The step's budget: retries after the first call.</param>
/// <param name="retryUnusableAnswers">Whether an unusable answer (a transient <see cref="ProviderResponseException"/>) is retried here too, for steps that do not validate answers themselves (speech).</param>
/// <param name="baseDelay">The wait before the first retry.</param>
/// <param name="time">The clock the waits are measured on.</param>
/// <param name="logger">Where retries are logged.</param>
internal sealed partial class CallRetry(int maxRetries, bool retryUnusableAnswers, TimeSpan baseDelay, TimeProvider time, ILogger logger)
{
    /// <summary>The longest wait between two tries, the provider's <c>Retry-After</c> included.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>Runs the call through the throttle, retrying transient failures.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="throttle">The provider's throttle.</param>
    /// <param name="step">The step, for logs and progress, for example <c>Speech of chapter 3</c>.</param>
    /// <param name="call">The call.</param>
    /// <param name="waiting">Told what the step is waiting for before each retry (the job's progress text); may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the call and the waits.</param>
    /// <param name="order">Where the call queues at the throttle (<see cref="BookRunContext.OrderOf"/>); 0, first, for a job's book-wide calls.</param>
    /// <returns>The call's result.</returns>
    public async Task<T> RunAsync<T>(
        ProviderThrottle throttle,
        string step,
        Func<CancellationToken, Task<T>> call,
        Func<string, CancellationToken, Task>? waiting,
        CancellationToken cancellationToken,
        long order = 0)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await throttle.RunAsync(call, cancellationToken, order).ConfigureAwait(false);
            }
            catch (ProviderException ex) when ((retryUnusableAnswers || ex is not ProviderResponseException) && ex.IsTransient && retry < maxRetries && !cancellationToken.IsCancellationRequested)
            {
                var delay = Delay(retry, ex.RetryAfter, Random.Shared.NextDouble());
                LogRetry(logger, step, retry + 1, maxRetries, delay, ex.GetType().Name, ex.Message);
                LogRetryDetail(logger, ex, step);
                if (waiting is not null)
                {
                    var reason = ex.StatusCode is int status ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"HTTP {status}") : "a transient error";
                    await waiting(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{step}: {reason}, retry {retry + 1} of {maxRetries} in {delay.TotalSeconds:0.#} s"), cancellationToken).ConfigureAwait(false);
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The wait before retry <paramref name="retry"/> (0-based): the back-off with jitter, at least the provider's <c>Retry-After</c>, at most <see cref="MaxDelay"/>.</summary>
    /// <param name="retry">How many retries came before.</param>
    /// <param name="retryAfter">What the provider asked for, if anything.</param>
    /// <param name="random">A number in [0, 1) for the jitter.</param>
    /// <returns>The wait.</returns>
    internal TimeSpan Delay(int retry, TimeSpan? retryAfter, double random)
    {
        var backoff = baseDelay * Math.Pow(2, Math.Min(retry, 16)) * (0.8 + (0.4 * random));
        var wait = retryAfter is { } asked && asked > backoff ? asked : backoff;
        return wait < MaxDelay ? wait : MaxDelay;
    }

    // One line with the cause at Warning; the stack trace at Debug.
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Step} failed (retry {Retry} of {Retries} in {Delay}): {ErrorType}: {ErrorMessage}")]
    private static partial void LogRetry(ILogger logger, string step, int retry, int retries, TimeSpan delay, string errorType, string errorMessage);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Step} failed; the exception")]
    private static partial void LogRetryDetail(ILogger logger, Exception exception, string step);
}
