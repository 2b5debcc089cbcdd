using Anthropic;
using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Internal.Http;
using BookBytes.Llm;
using BookBytes.Providers.Anthropic.Chat;
using BookBytes.Providers.Anthropic.Http;
using BookBytes.Providers.ExtensionsAI.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Anthropic;

/// <summary>Registers the Anthropic (Claude) language-model provider.</summary>
public static class BookBytesBuilderAnthropicExtensions
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client used for the Messages API.</summary>
    public const string HttpClientName = "BookBytes.Anthropic";

    /// <summary>
    /// Registers the Anthropic language-model provider (the Messages API with a JSON-schema output format) as the
    /// singleton <see cref="ILlmProvider"/>, replacing any registered before (the last call wins), with
    /// <see cref="AnthropicOptions"/> bound from the <c>BookBytes:Anthropic</c> section of the registered
    /// <see cref="IConfiguration"/> and then <paramref name="configure"/>, validated at start while this provider
    /// holds the <see cref="ILlmProvider"/> slot.
    /// </summary>
    /// <remarks>
    /// HTTP goes through the named <see cref="IHttpClientFactory"/> client <see cref="HttpClientName"/> with the
    /// standard resilience handler: a per-attempt time-out of <see cref="AnthropicOptions.Timeout"/> that covers the
    /// whole response, <see cref="AnthropicOptions.MaxRetries"/> retries with jittered exponential back-off that
    /// honours <c>Retry-After</c>, and a circuit breaker. The SDK's own retries are off and its time-out is longer than
    /// the handler's total, so the handler is the only layer that retries or times out. Calling this method again
    /// registers nothing twice and only adds <paramref name="configure"/>. The provider is a thread-safe singleton.
    /// </remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddAnthropicLlm(this IBookBytesBuilder builder, Action<AnthropicOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (AdapterOptions.Register<AnthropicOptions, AnthropicOptionsValidator>(services, AnthropicOptions.SectionName, configure, InUse))
        {
            services.TryAddSingleton(TimeProvider.System);
        }

        ServiceSlot.Fill<ILlmProvider, AnthropicLlmProvider>(services);
        if (!services.Any(d => d.ServiceType == typeof(AnthropicLlmProvider)))
        {
            // The Retry-After handler is outside the resilience handler: it sees the last attempt's response, the one the SDK reports.
            ModelHttpClient.Add<AnthropicOptions>(services, HttpClientName, o => (o.Timeout, o.MaxRetries, o.RetryBaseDelay), sp => new RetryAfterHandler(sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton(sp => Create(sp, sp.GetRequiredService<IOptions<AnthropicOptions>>().Value));
        }

        return builder;
    }

    private static AnthropicLlmProvider Create(IServiceProvider services, AnthropicOptions options)
    {
        var sdk = new AnthropicClient
        {
            ApiKey = string.IsNullOrWhiteSpace(options.ApiKey) ? null : options.ApiKey,
            BaseUrl = options.Endpoint.ToString().TrimEnd('/'),
            HttpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            // One retry layer only: the resilience handler's. The SDK's time-out spans its whole call, so it is
            // set past the handler's total and never cuts a call the handler would still let run.
            MaxRetries = 0,
            Timeout = ModelHttpClient.TotalTimeout(options.Timeout, options.MaxRetries) + TimeSpan.FromMinutes(1),
        };
        var client = new AnthropicChatClient(sdk.AsIChatClient(options.Model, options.MaxOutputTokens), options.Endpoint);
        var llmOptions = new ChatClientLlmOptions { ModelId = options.Model, MaxOutputTokens = options.MaxOutputTokens };
        return new AnthropicLlmProvider(new ChatClientLlmProvider(client, llmOptions, services.GetService<ILogger<ChatClientLlmProvider>>()));
    }

    private static bool InUse(IEnumerable<ServiceDescriptor> services)
        => ServiceSlot.IsHeldBy<ILlmProvider, AnthropicLlmProvider>(services);
}
