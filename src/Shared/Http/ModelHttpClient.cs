using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BookBytes.Internal.Http;

/// <summary>
/// The named <see cref="HttpClient"/> of a model provider (OpenAI, Ollama, Anthropic): the resilience handler owns every
/// time-out (<see cref="HttpClient.Timeout"/> is infinite, which a long answer would otherwise hit at 100 s), pooled
/// connections are recycled every 5 minutes to follow DNS changes (the providers are singletons holding their client),
/// and inside the resilience handler each attempt reads its whole body (<see cref="BufferedContentHandler"/>), so the
/// attempt's time-out and the retries cover the download too. Outermost, <see cref="CallLogHandler"/> logs each call at Debug
/// (the provider logs the one Warning of a failed call); the factory's and Polly's own logging is quiet (<see cref="AdapterHttpLogging"/>).
/// </summary>
/// <remarks>Compiled into each HTTP adapter package (adapters do not depend on each other).</remarks>
internal static class ModelHttpClient
{
    /// <summary>The total time one call may take: every attempt at its time-out, plus a minute for back-off delays.</summary>
    public static TimeSpan TotalTimeout(TimeSpan attemptTimeout, int maxRetries)
        => (attemptTimeout * (maxRetries + 1)) + TimeSpan.FromMinutes(1);

    /// <summary>Adds the named client.</summary>
    /// <typeparam name="TOptions">The adapter's options, registered with <see cref="AdapterOptions"/>.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client's name.</param>
    /// <param name="settings">Reads the attempt time-out, retries and back-off base from valid options.</param>
    /// <param name="outer">A handler outside the resilience handler (it sees only the last attempt), or <see langword="null"/>.</param>
    public static void Add<TOptions>(
        IServiceCollection services,
        string name,
        Func<TOptions, (TimeSpan AttemptTimeout, int MaxRetries, TimeSpan RetryDelay)> settings,
        Func<IServiceProvider, DelegatingHandler>? outer = null)
        where TOptions : class
    {
        var client = services.AddHttpClient(name)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .UseAdapterLogging()
            .AddHttpMessageHandler(sp => new CallLogHandler(sp.GetRequiredService<ILoggerFactory>().CreateLogger(name), name));
        if (outer is not null)
        {
            client.AddHttpMessageHandler(outer);
        }

        client.AddAdapterResilienceHandler<TOptions>(o =>
        {
            var (attempt, retries, delay) = settings(o);
            return new ResilienceSettings(attempt, TotalTimeout(attempt, retries), delay, retries);
        });
        client.AddHttpMessageHandler(() => new BufferedContentHandler());
    }
}
