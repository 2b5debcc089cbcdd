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
            // The error-body handler is outside the resilience handler: it reads the last attempt's error only, after the retries.
            ModelHttpClient.Add<OllamaOptions>(services, HttpClientName, o => (o.Timeout, o.MaxRetries, o.RetryBaseDelay), _ => new ErrorBodyHandler());
            services.AddSingleton(Create);
        }

        return builder;
    }

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
        var llmOptions = new ChatClientLlmOptions { ModelId = model, MaxOutputTokens = options.MaxOutputTokens };
        return new OllamaLlmProvider(new ChatClientLlmProvider(client, llmOptions, services.GetService<ILogger<ChatClientLlmProvider>>()));
    }
}
