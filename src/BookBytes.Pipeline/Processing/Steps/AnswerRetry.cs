using Microsoft.Extensions.Logging;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Asks a provider again, within the job's attempt, when its answer was unusable (a transient
/// <see cref="ProviderResponseException"/>): up to <c>Llm:MaxAnswerTries</c> tries, waiting
/// <c>Jobs:StepRetryDelay</c> doubled per try. Other failures pass through at once: transient HTTP failures
/// were already retried by the provider's HTTP layer, and the job's own retry (with back-off) comes next.
/// </summary>
/// <param name="maxTries">How many tries one answer gets.</param>
/// <param name="delay">The pause before the second try; doubled for each later one.</param>
/// <param name="time">The clock the pauses are measured on.</param>
/// <param name="logger">Where retries are logged.</param>
internal sealed partial class AnswerRetry(int maxTries, TimeSpan delay, TimeProvider time, ILogger logger)
{
    /// <summary>Runs the call until it gives a usable answer or its tries are used up.</summary>
    /// <typeparam name="T">The answer.</typeparam>
    /// <param name="step">The step, for the log.</param>
    /// <param name="call">The call; it throws a transient <see cref="ProviderResponseException"/> for an unusable answer.</param>
    /// <param name="cancellationToken">A token that cancels the call and the pauses.</param>
    /// <returns>The answer.</returns>
    public async Task<T> RunAsync<T>(string step, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (ProviderResponseException ex) when (ex.IsTransient && attempt < maxTries && !cancellationToken.IsCancellationRequested)
            {
                var pause = delay * Math.Pow(2, attempt - 1);
                LogRetry(logger, step, attempt, maxTries, pause, ex.GetType().Name, ex.Message);
                LogRetryDetail(logger, ex, step);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    // One line with the cause at Warning; the stack trace at Debug.
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Step} failed (try {Try} of {Tries}); trying again in {Delay}: {ErrorType}: {ErrorMessage}")]
    private static partial void LogRetry(ILogger logger, string step, int @try, int tries, TimeSpan delay, string errorType, string errorMessage);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Step} failed; the exception")]
    private static partial void LogRetryDetail(ILogger logger, Exception exception, string step);
}
