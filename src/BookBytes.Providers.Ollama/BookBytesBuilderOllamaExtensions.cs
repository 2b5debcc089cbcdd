using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Internal.Http;
using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;
using BookBytes.Providers.Ollama.Chat;
using BookBytes.Providers.Ollama.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaSharp;

namespace BookBytes.Providers.Ollama;

/// <summary>Registers the Ollama language-model provider.</summary>
public static class BookBytesBuilderOllamaExtensions
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client used for Ollama's <c>/api/chat</c>.</summary>
    public const string HttpClientName = "BookBytes.Ollama";

    /// <summary>
    /// Registers the Ollama language-model provider (Ollama's native <c>POST /api/chat</c> with a JSON schema
    /// in <c>format</c>, through OllamaSharp) as the singleton <see cref="ILlmProvider"/>, replacing any
    /// registered before (the last call wins), with <see cref="OllamaOptions"/> bound from the
    /// <c>BookBytes:Ollama</c> section of the registered <see cref="IConfiguration"/> and then
    /// <paramref name="configure"/>, validated at start while the Ollama provider is the registered one.
    /// </summary>
    /// <remarks>
    /// HTTP goes through the named <see cref="IHttpClientFactory"/> client <see cref="HttpClientName"/> with the
    /// standard resilience handler: a per-attempt time-out from <see cref="OllamaOptions.Timeout"/> that covers the
    /// whole response, <see cref="OllamaOptions.MaxRetries"/> retries with jittered exponential back-off that
    /// honours <c>Retry-After</c>, and a circuit breaker; <see cref="HttpClient.Timeout"/> is infinite, so the
    /// handler is the only layer that retries or times out. Failures become <see cref="ProviderException"/>s
    /// naming the endpoint and the key to fix. Calling this method again registers nothing twice and only adds
    /// <paramref name="configure"/>. The provider is thread-safe.
    /// </remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddOllamaLlm(this IBookBytesBuilder builder, Action<OllamaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (AdapterOptions.Register<OllamaOptions, OllamaOptionsValidator>(services, OllamaOptions.SectionName, configure, InUse))
        {
            services.TryAddSingleton(TimeProvider.System);
        }

        ServiceSlot.Fill<ILlmProvider, OllamaLlmProvider>(services);
        if (!services.Any(d => d.ServiceType == typeof(OllamaLlmProvider)))
        {
            AddHttpClient(services);
            services.AddSingleton(Create);
        }

        return builder;
    }

    /// <summary>The total time one call may take: every attempt at its time-out, plus a minute for back-off delays.</summary>
    internal static TimeSpan TotalTimeout(TimeSpan attemptTimeout, int maxRetries)
        => (attemptTimeout * (maxRetries + 1)) + TimeSpan.FromMinutes(1);

    private static bool InUse(IEnumerable<ServiceDescriptor> services) => ServiceSlot.IsHeldBy<ILlmProvider, OllamaLlmProvider>(services);

    private static OllamaLlmProvider Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<OllamaOptions>>().Value;
        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        // OllamaSharp resolves its relative paths (api/chat) against the base address: a path prefix such as a
        // proxy's /ollama is kept only with a trailing slash.
        var endpoint = options.Endpoint.AbsoluteUri.EndsWith('/') ? options.Endpoint : new Uri(options.Endpoint.AbsoluteUri + "/");
        httpClient.BaseAddress = endpoint;
        var model = options.Model.Trim();
        var ollama = new OllamaApiClient(httpClient, model);
        var client = new OllamaChatClient(ollama, endpoint, model, services.GetRequiredService<TimeProvider>());
        var llmOptions = new ChatClientLlmOptions { MaxOutputTokens = options.MaxOutputTokens };
        return new OllamaLlmProvider(new ChatClientLlmProvider(client, llmOptions, services.GetService<ILogger<ChatClientLlmProvider>>()));
    }

    private static void AddHttpClient(IServiceCollection services)
    {
        var client = services.AddHttpClient(HttpClientName);
        client
            // The resilience handler owns every time-out; HttpClient's own 100 s default would cut a slow local model.
            .ConfigureHttpClient(c => c.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            // The provider is a singleton holding its HttpClient, so connections are recycled here to follow DNS changes.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            // Outside the resilience handler: it reads the error body of the last attempt only, after the retries.
            .AddHttpMessageHandler(() => new ErrorBodyHandler())
            .AddAdapterResilienceHandler<OllamaOptions>(o => new ResilienceSettings(o.Timeout, TotalTimeout(o.Timeout, o.MaxRetries), o.RetryBaseDelay, o.MaxRetries));

        // Inside the resilience handler: each attempt reads the whole body, so its time-out covers the answer too.
        client.AddHttpMessageHandler(() => new BufferedContentHandler());
    }
}
