using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace BookBytes.Internal.Http;

/// <summary>The standard resilience handler of an adapter's named <see cref="HttpClient"/>, tuned from the adapter's options.</summary>
/// <remarks>Compiled into each adapter package that calls HTTP (adapters do not depend on each other).</remarks>
internal static class AdapterResilience
{
    /// <summary>How long the circuit stays open once it broke; callers told so wait at least this long.</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan MinSamplingDuration = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds the standard resilience handler: <see cref="ResilienceSettings.AttemptTimeout"/> per attempt and
    /// <see cref="ResilienceSettings.TotalTimeout"/> in all, <see cref="ResilienceSettings.MaxRetries"/> retries with
    /// jittered exponential back-off from <see cref="ResilienceSettings.RetryDelay"/> that honour <c>Retry-After</c>,
    /// and the standard circuit breaker sampling over two attempt time-outs (at least 30 s).
    /// </summary>
    /// <typeparam name="TOptions">The adapter's options, registered with <see cref="AdapterOptions"/>.</typeparam>
    /// <param name="client">The named client.</param>
    /// <param name="settings">Reads the settings from valid options.</param>
    /// <returns>The same client builder.</returns>
    public static IHttpClientBuilder AddAdapterResilienceHandler<TOptions>(this IHttpClientBuilder client, Func<TOptions, ResilienceSettings> settings)
        where TOptions : class
    {
        client.AddStandardResilienceHandler().Configure((resilience, sp) =>
        {
            if (!AdapterOptions.InUse<TOptions>(sp))
            {
                // A displaced adapter's options are not validated, so they may be anything; its client is not used.
                return;
            }

            TOptions o;
            try
            {
                o = sp.GetRequiredService<IOptions<TOptions>>().Value;
            }
            catch (OptionsValidationException)
            {
                // The start-up validation of the adapter's options reports this once, naming the key; the
                // resilience options are validated at start too and would report it a second time.
                return;
            }

            var s = settings(o);
            resilience.AttemptTimeout.Timeout = s.AttemptTimeout;
            resilience.TotalRequestTimeout.Timeout = s.TotalTimeout;
            // The standard handler requires sampling over at least two attempt time-outs.
            var sampling = s.AttemptTimeout * 2;
            resilience.CircuitBreaker.SamplingDuration = sampling > MinSamplingDuration ? sampling : MinSamplingDuration;
            // The breaker is for an endpoint that is down, not one that is busy: a 429 says "slower", which the
            // caller's throttle does; only server errors and failed connections count, and only when most calls fail.
            resilience.CircuitBreaker.FailureRatio = 0.5;
            resilience.CircuitBreaker.BreakDuration = BreakDuration;
            resilience.CircuitBreaker.ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
                { Result: { } response } => (int)response.StatusCode >= 500,
                _ => false,
            });
            resilience.Retry.Delay = s.RetryDelay;
            resilience.Retry.BackoffType = DelayBackoffType.Exponential;
            resilience.Retry.UseJitter = true;
            resilience.Retry.ShouldRetryAfterHeader = true;
            if (s.MaxRetries == 0)
            {
                // Polly requires at least one attempt; refusing every outcome turns retries off.
                resilience.Retry.MaxRetryAttempts = 1;
                resilience.Retry.ShouldHandle = static _ => PredicateResult.False();
            }
            else
            {
                resilience.Retry.MaxRetryAttempts = s.MaxRetries;
            }
        });
        return client;
    }
}

/// <summary>What an adapter sets on its client's standard resilience handler.</summary>
/// <param name="AttemptTimeout">The time one attempt may take.</param>
/// <param name="TotalTimeout">The time a call may take, every attempt and back-off included.</param>
/// <param name="RetryDelay">The base of the exponential back-off.</param>
/// <param name="MaxRetries">Retries after a failed attempt; 0 turns retries off.</param>
internal readonly record struct ResilienceSettings(TimeSpan AttemptTimeout, TimeSpan TotalTimeout, TimeSpan RetryDelay, int MaxRetries);
