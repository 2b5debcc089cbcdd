using System.ClientModel;
using System.ClientModel.Primitives;
using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Llm;
using BookBytes.Providers.OpenAI.Chat;
using BookBytes.Providers.OpenAI.Http;
using BookBytes.Providers.OpenAI.Speech;
using BookBytes.Tts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Audio;
using OpenAI.Chat;

namespace BookBytes.Providers.OpenAI;

/// <summary>Registers the OpenAI language-model and text-to-speech providers.</summary>
public static class BookBytesBuilderOpenAiExtensions
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client used for chat completions.</summary>
    public const string ChatHttpClientName = "BookBytes.OpenAI.Chat";

    /// <summary>The name of the <see cref="IHttpClientFactory"/> client used for speech.</summary>
    public const string SpeechHttpClientName = "BookBytes.OpenAI.Speech";

    private static readonly TimeSpan DefaultSamplingDuration = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Registers <see cref="OpenAiLlmProvider"/> as <see cref="ILlmProvider"/> and <see cref="OpenAiTtsProvider"/>
    /// as <see cref="ITtsProvider"/> (singletons), with <see cref="OpenAiOptions"/> bound from the
    /// <c>BookBytes:OpenAI</c> section of the registered <see cref="IConfiguration"/> and then
    /// <paramref name="configure"/>, validated at start-up.
    /// </summary>
    /// <remarks>
    /// HTTP goes through two named <see cref="IHttpClientFactory"/> clients (<see cref="ChatHttpClientName"/>,
    /// <see cref="SpeechHttpClientName"/>), each with the standard
    /// resilience handler: per-attempt time-outs from <see cref="OpenAiOptions.ChatTimeout"/> and
    /// <see cref="OpenAiOptions.SpeechTimeout"/> that cover the whole response, body included,
    /// <see cref="OpenAiOptions.MaxRetries"/> retries with jittered exponential back-off that honours
    /// <c>Retry-After</c>, and a circuit breaker. The OpenAI SDK's own retries are off and its network
    /// time-out is infinite, so the handler is the only layer that retries or times out. Calling this
    /// method again only adds <paramref name="configure"/>.
    /// </remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddOpenAI(this IBookBytesBuilder builder, Action<OpenAiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        if (!AdapterOptions.Register<OpenAiOptions, OpenAiOptionsValidator>(services, OpenAiOptions.SectionName, configure, typeof(OpenAiLlmProvider)))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);

        AddHttpClient(services, ChatHttpClientName, o => o.ChatTimeout);
        AddHttpClient(services, SpeechHttpClientName, o => o.SpeechTimeout);

        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<OpenAiOptions>>().Value;
            var client = new ChatClient(o.ChatModel, Credential(o), ClientOptions(sp, o, o.EffectiveEndpoint, ChatHttpClientName));
            return new OpenAiLlmProvider(
                client, o.ChatModel, o.EffectiveEndpoint, sp.GetService<ILogger<OpenAiLlmProvider>>(), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<OpenAiOptions>>().Value;
            var client = new AudioClient(o.SpeechModel, Credential(o), ClientOptions(sp, o, o.EffectiveSpeechEndpoint, SpeechHttpClientName));
            return new OpenAiTtsProvider(
                client,
                o.SpeechModel,
                o.EffectiveSpeechEndpoint,
                o.Voice,
                o.AudioFormat,
                sp.GetService<ILogger<OpenAiTtsProvider>>(),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ILlmProvider>(sp => sp.GetRequiredService<OpenAiLlmProvider>());
        services.AddSingleton<ITtsProvider>(sp => sp.GetRequiredService<OpenAiTtsProvider>());
        return builder;
    }

    /// <summary>The total time one call may take: every attempt at its time-out, plus a minute for back-off delays.</summary>
    internal static TimeSpan TotalTimeout(TimeSpan attemptTimeout, int maxRetries)
        => (attemptTimeout * (maxRetries + 1)) + TimeSpan.FromMinutes(1);

    private static void AddHttpClient(IServiceCollection services, string name, Func<OpenAiOptions, TimeSpan> attemptTimeout)
    {
        var client = services.AddHttpClient(name);
        client
            // The resilience handler owns every time-out; HttpClient's own 100 s default would cut long speech calls.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The providers are singletons holding their HttpClient, so connections are recycled here to follow DNS changes.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) =>
            {
                OpenAiOptions o;
                try
                {
                    o = sp.GetRequiredService<IOptions<OpenAiOptions>>().Value;
                }
                catch (OptionsValidationException)
                {
                    // Invalid OpenAI settings fail start-up on their own, with a message naming the key;
                    // failing here too would bury that message in an AggregateException.
                    return;
                }

                var attempt = attemptTimeout(o);
                resilience.AttemptTimeout.Timeout = attempt;
                resilience.TotalRequestTimeout.Timeout = TotalTimeout(attempt, o.MaxRetries);
                // The standard handler requires sampling over at least two attempt time-outs.
                var sampling = attempt * 2;
                resilience.CircuitBreaker.SamplingDuration = sampling > DefaultSamplingDuration ? sampling : DefaultSamplingDuration;
                resilience.Retry.Delay = o.RetryBaseDelay;
                resilience.Retry.ShouldRetryAfterHeader = true;
                if (o.MaxRetries == 0)
                {
                    // Polly needs at least one attempt configured; handling nothing turns retries off.
                    resilience.Retry.MaxRetryAttempts = 1;
                    resilience.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
                }
                else
                {
                    resilience.Retry.MaxRetryAttempts = o.MaxRetries;
                }
            });

        // Inside the resilience handler: each attempt reads the whole body, so its time-out and the
        // retries cover the download too.
        client.AddHttpMessageHandler(() => new BufferedContentHandler());
    }

    private static OpenAIClientOptions ClientOptions(IServiceProvider services, OpenAiOptions options, Uri endpoint, string httpClientName)
    {
        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName);
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(httpClient),
            // One retry layer only: the resilience handler's.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            UserAgentApplicationId = "BookBytes",
        };
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            clientOptions.AddPolicy(new RemoveAuthorizationPolicy(), PipelinePosition.BeforeTransport);
        }

        return clientOptions;
    }

    // The SDK's clients need a credential; without a key a placeholder is given and its header removed
    // before sending (RemoveAuthorizationPolicy), so keyless local servers see no Authorization header.
    private static ApiKeyCredential Credential(OpenAiOptions options)
        => new(string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey);
}
