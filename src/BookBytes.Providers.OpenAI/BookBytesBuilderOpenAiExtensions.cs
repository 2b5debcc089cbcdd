// ITextToSpeechClient and its types are experimental in Microsoft.Extensions.AI 10 (MEAI001); this file builds on them deliberately.
#pragma warning disable MEAI001
using System.ClientModel;
using System.ClientModel.Primitives;
using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Internal.Http;
using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;
using BookBytes.Providers.ExtensionsAI.Speech;
using BookBytes.Providers.OpenAI.Chat;
using BookBytes.Providers.OpenAI.Speech;
using BookBytes.Tts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    /// <summary>
    /// Registers the OpenAI language-model provider as <see cref="ILlmProvider"/> and the OpenAI
    /// text-to-speech provider as <see cref="ITtsProvider"/> (singletons), as <see cref="AddOpenAILlm"/> and
    /// <see cref="AddOpenAITts"/> do, with <see cref="OpenAiOptions"/> bound from the <c>BookBytes:OpenAI</c>
    /// section of the registered <see cref="IConfiguration"/> and then <paramref name="configure"/>, validated at start-up.
    /// </summary>
    /// <remarks>
    /// HTTP goes through two named <see cref="IHttpClientFactory"/> clients (<see cref="ChatHttpClientName"/>,
    /// <see cref="SpeechHttpClientName"/>), each with the standard
    /// resilience handler: per-attempt time-outs from <see cref="OpenAiOptions.ChatTimeout"/> and
    /// <see cref="OpenAiOptions.SpeechTimeout"/> that cover the whole response, body included,
    /// <see cref="OpenAiOptions.MaxRetries"/> retries with jittered exponential back-off that honours
    /// <c>Retry-After</c>, and a circuit breaker. The OpenAI SDK's own retries are off and its network
    /// time-out is infinite, so the handler is the only layer that retries or times out. The providers
    /// replace any <see cref="ILlmProvider"/> and <see cref="ITtsProvider"/> registered before: the last
    /// call wins. Calling this method again registers nothing twice and only adds <paramref name="configure"/>.
    /// </remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddOpenAI(this IBookBytesBuilder builder, Action<OpenAiOptions>? configure = null)
        => builder.AddOpenAILlm(configure).AddOpenAITts();

    /// <summary>
    /// Registers only the OpenAI language-model provider (Chat Completions with structured output) as the
    /// singleton <see cref="ILlmProvider"/>, replacing any registered before (the last call wins), with
    /// <see cref="OpenAiOptions"/> and the <see cref="ChatHttpClientName"/> client set up as <see cref="AddOpenAI"/> does.
    /// </summary>
    /// <remarks>Options are validated at start while an OpenAI provider is the registered one. Calling this method again registers nothing twice.</remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddOpenAILlm(this IBookBytesBuilder builder, Action<OpenAiOptions>? configure = null)
        => AddProvider<ILlmProvider, OpenAiLlmProvider>(builder, configure, ChatHttpClientName, o => o.ChatTimeout, (sp, o) =>
        {
            var sdk = new ChatClient(o.ChatModel, Credential(o), ClientOptions(sp, o, o.EffectiveEndpoint, ChatHttpClientName));
            var client = new OpenAiChatClient(sdk.AsIChatClient(), o.EffectiveEndpoint, sp.GetRequiredService<TimeProvider>());
            return new OpenAiLlmProvider(new ChatClientLlmProvider(client, options: null, sp.GetService<ILogger<ChatClientLlmProvider>>()), o.ChatModel);
        });

    /// <summary>
    /// Registers only the OpenAI text-to-speech provider (<c>POST /audio/speech</c>) as the singleton
    /// <see cref="ITtsProvider"/>, replacing any registered before (the last call wins), with
    /// <see cref="OpenAiOptions"/> and the <see cref="SpeechHttpClientName"/> client set up as <see cref="AddOpenAI"/> does.
    /// </summary>
    /// <remarks>Options are validated at start while an OpenAI provider is the registered one. Calling this method again registers nothing twice.</remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddOpenAITts(this IBookBytesBuilder builder, Action<OpenAiOptions>? configure = null)
        => AddProvider<ITtsProvider, OpenAiTtsProvider>(builder, configure, SpeechHttpClientName, o => o.SpeechTimeout, (sp, o) =>
        {
            var sdk = new AudioClient(o.SpeechModel, Credential(o), ClientOptions(sp, o, o.EffectiveSpeechEndpoint, SpeechHttpClientName));
            var client = new OpenAiSpeechClient(sdk.AsITextToSpeechClient(), o.SpeechModel, o.EffectiveSpeechEndpoint, sp.GetRequiredService<TimeProvider>());
            return new OpenAiTtsProvider(new SpeechClientTtsProvider(client, SpeechModels.Options(o), sp.GetService<ILogger<SpeechClientTtsProvider>>()));
        });

    // The options, TimeProvider and TService's slot on every call; the provider and its HTTP client once.
    private static IBookBytesBuilder AddProvider<TService, TProvider>(
        IBookBytesBuilder builder,
        Action<OpenAiOptions>? configure,
        string httpClientName,
        Func<OpenAiOptions, TimeSpan> attemptTimeout,
        Func<IServiceProvider, OpenAiOptions, TProvider> create)
        where TService : class
        where TProvider : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (AdapterOptions.Register<OpenAiOptions, OpenAiOptionsValidator>(services, OpenAiOptions.SectionName, configure, InUse))
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<IValidateOptions<OpenAiOptions>>(new OpenAiSlotValidator(services));
        }

        ServiceSlot.Fill<TService, TProvider>(services);
        if (!services.Any(d => d.ServiceType == typeof(TProvider)))
        {
            ModelHttpClient.Add<OpenAiOptions>(services, httpClientName, o => (attemptTimeout(o), o.MaxRetries, o.RetryBaseDelay));
            services.AddSingleton(sp => create(sp, sp.GetRequiredService<IOptions<OpenAiOptions>>().Value));
        }

        return builder;
    }

    private static bool InUse(IEnumerable<ServiceDescriptor> services)
        => ServiceSlot.IsHeldBy<ILlmProvider, OpenAiLlmProvider>(services) || ServiceSlot.IsHeldBy<ITtsProvider, OpenAiTtsProvider>(services);

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
