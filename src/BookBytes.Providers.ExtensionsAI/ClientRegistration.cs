using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.ExtensionsAI;

/// <summary>
/// Which client the last <c>AddChatClientLlm</c> or <c>AddSpeechClientTts</c> call chose, and the options
/// it gave. A later call replaces it (the last call wins, as for every adapter).
/// </summary>
/// <typeparam name="TClient">The client type, for example <c>IChatClient</c>.</typeparam>
/// <typeparam name="TOptions">The provider's options.</typeparam>
internal sealed class ClientRegistration<TClient, TOptions>
    where TClient : class
    where TOptions : class
{
    private readonly object? _serviceKey;
    private readonly bool _keyed;
    private readonly Func<IServiceProvider, TClient>? _factory;

    private ClientRegistration(object? serviceKey, bool keyed, Func<IServiceProvider, TClient>? factory, TOptions options)
    {
        _serviceKey = serviceKey;
        _keyed = keyed;
        _factory = factory;
        Options = options;
    }

    public TOptions Options { get; }

    public static ClientRegistration<TClient, TOptions> FromContainer(object? serviceKey, bool keyed, TOptions options) => new(serviceKey, keyed, null, options);

    public static ClientRegistration<TClient, TOptions> FromFactory(Func<IServiceProvider, TClient> factory, TOptions options) => new(null, false, factory, options);

    /// <summary>The client, from the factory or the container.</summary>
    /// <exception cref="InvalidOperationException">The container has no such client, or the factory returned <see langword="null"/>.</exception>
    public TClient Resolve(IServiceProvider services)
    {
        if (_factory is not null)
        {
            return _factory(services) ?? throw new InvalidOperationException($"The factory given for the BookBytes provider returned no {typeof(TClient).FullName}.");
        }

        var client = _keyed ? services.GetKeyedService<TClient>(_serviceKey) : services.GetService<TClient>();
        return client ?? throw new InvalidOperationException(MissingMessage());
    }

    /// <summary>Why the client cannot be had, checked without creating it; <see langword="null"/> when it can (or a factory makes it).</summary>
    public string? Problem(IServiceProvider services)
    {
        if (_factory is not null)
        {
            return null;
        }

        var registered = _keyed
            ? services.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(TClient), _serviceKey)
            : services.GetService<IServiceProviderIsService>()?.IsService(typeof(TClient));
        return registered == false ? MissingMessage() : null;
    }

    private string MissingMessage()
    {
        var chat = typeof(TClient).Name == "IChatClient";
        var example = (chat, _keyed) switch
        {
            (true, false) => "services.AddChatClient(...)",
            (true, true) => "services.AddKeyedChatClient(key, ...)",
            (false, false) => $"services.AddSingleton<{typeof(TClient).Name}>(...)",
            (false, true) => $"services.AddKeyedSingleton<{typeof(TClient).Name}>(key, ...)",
        };
        return $"BookBytes was told to use the application's {typeof(TClient).FullName}"
            + (_keyed ? $" registered with the key '{_serviceKey}'" : string.Empty)
            + $", but none is registered. Register one first (for example {example}), or pass a factory.";
    }
}

/// <summary>
/// Reports at start-up, through options validation (<c>ValidateOnStart</c>), a client the container lacks,
/// naming its type, while the provider holds its slot. Without a host it is reported at first use.
/// </summary>
/// <typeparam name="TClient">The client type.</typeparam>
internal sealed class StartCheck<TClient>
    where TClient : class
{
    public static void Register<TOptions>(IServiceCollection services, Func<IEnumerable<ServiceDescriptor>, bool> inUse)
        where TOptions : class
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<StartCheck<TClient>>)))
        {
            return;
        }

        services.AddOptions<StartCheck<TClient>>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StartCheck<TClient>>>(sp => new Validator(
            () => inUse(services) ? sp.GetRequiredService<ClientRegistration<TClient, TOptions>>().Problem(sp) : null));
    }

    private sealed class Validator(Func<string?> problem) : IValidateOptions<StartCheck<TClient>>
    {
        public ValidateOptionsResult Validate(string? name, StartCheck<TClient> options)
            => problem() is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
    }
}
