// ITextToSpeechClient and its types are experimental in Microsoft.Extensions.AI 10 (MEAI001); this file builds on them deliberately.
#pragma warning disable MEAI001
using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Tts;
using BookBytes.Providers.ExtensionsAI.Speech;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BookBytes.Providers.ExtensionsAI;

/// <summary>Registers a <see cref="SpeechClientTtsProvider"/> over the application's <see cref="ITextToSpeechClient"/>.</summary>
public static class BookBytesBuilderSpeechClientExtensions
{
    /// <summary>
    /// Makes the application's <see cref="ITextToSpeechClient"/> (the unkeyed one in the container, for example
    /// registered with <c>services.AddSingleton(...)</c>) speak the chapters:
    /// a singleton <see cref="SpeechClientTtsProvider"/> becomes the <see cref="ITtsProvider"/>, replacing any
    /// registered before (the last call wins).
    /// </summary>
    /// <remarks>A container without an <see cref="ITextToSpeechClient"/> fails the host's start with a message naming the type.</remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddSpeechClientTts(this IBookBytesBuilder builder)
        => builder.AddSpeechClientTts(configure: null);

    /// <summary>Makes the application's unkeyed <see cref="ITextToSpeechClient"/> the provider's client, with <paramref name="configure"/> applied to the options.</summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes the options; <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddSpeechClientTts(this IBookBytesBuilder builder, Action<SpeechClientTtsOptions>? configure)
        => Add(builder, ClientRegistration<ITextToSpeechClient, SpeechClientTtsOptions>.FromContainer(null, keyed: false, Options(configure)));

    /// <summary>
    /// Makes the application's <see cref="ITextToSpeechClient"/> registered with <paramref name="serviceKey"/> (for
    /// example with <c>services.AddKeyedSingleton&lt;ITextToSpeechClient&gt;(key, ...)</c>) speak the chapters, as
    /// <see cref="AddSpeechClientTts(IBookBytesBuilder, Action{SpeechClientTtsOptions}?)"/> does.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="serviceKey">The client's service key.</param>
    /// <param name="configure">Declares the voices, formats and input limit, and sets the model; <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="serviceKey"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddSpeechClientTts(this IBookBytesBuilder builder, object serviceKey, Action<SpeechClientTtsOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        return Add(builder, ClientRegistration<ITextToSpeechClient, SpeechClientTtsOptions>.FromContainer(serviceKey, keyed: true, Options(configure)));
    }

    /// <summary>
    /// Makes the <see cref="ITextToSpeechClient"/> that <paramref name="clientFactory"/> returns (called once, when the
    /// provider is first needed) speak the chapters, as
    /// <see cref="AddSpeechClientTts(IBookBytesBuilder, Action{SpeechClientTtsOptions}?)"/> does.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="clientFactory">Creates the client; BookBytes does not dispose it.</param>
    /// <param name="configure">Declares the voices, formats and input limit, and sets the model; <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="clientFactory"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddSpeechClientTts(this IBookBytesBuilder builder, Func<IServiceProvider, ITextToSpeechClient> clientFactory, Action<SpeechClientTtsOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(clientFactory);
        return Add(builder, ClientRegistration<ITextToSpeechClient, SpeechClientTtsOptions>.FromFactory(clientFactory, Options(configure)));
    }

    /// <summary>Makes the application's <see cref="ITextToSpeechClient"/> registered with <paramref name="serviceKey"/> the provider's client, with the default options.</summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="serviceKey">The client's service key.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="serviceKey"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddSpeechClientTts(this IBookBytesBuilder builder, object serviceKey)
        => builder.AddSpeechClientTts(serviceKey, configure: null);

    /// <summary>Makes the <see cref="ITextToSpeechClient"/> that <paramref name="clientFactory"/> returns the provider's client, with the default options.</summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="clientFactory">Creates the client, once; BookBytes does not dispose it.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="clientFactory"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddSpeechClientTts(this IBookBytesBuilder builder, Func<IServiceProvider, ITextToSpeechClient> clientFactory)
        => builder.AddSpeechClientTts(clientFactory, configure: null);

    private static SpeechClientTtsOptions Options(Action<SpeechClientTtsOptions>? configure)
    {
        var options = new SpeechClientTtsOptions();
        configure?.Invoke(options);
        return options;
    }

    private static IBookBytesBuilder Add(IBookBytesBuilder builder, ClientRegistration<ITextToSpeechClient, SpeechClientTtsOptions> registration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.RemoveAll<ClientRegistration<ITextToSpeechClient, SpeechClientTtsOptions>>();
        services.AddSingleton(registration);
        ServiceSlot.Fill<ITtsProvider, SpeechClientTtsProvider>(services);
        services.TryAddSingleton(sp =>
        {
            var chosen = sp.GetRequiredService<ClientRegistration<ITextToSpeechClient, SpeechClientTtsOptions>>();
            return new SpeechClientTtsProvider(chosen.Resolve(sp), chosen.Options, sp.GetService<ILogger<SpeechClientTtsProvider>>());
        });
        StartCheck<ITextToSpeechClient>.Register<SpeechClientTtsOptions>(services, ServiceSlot.IsHeldBy<ITtsProvider, SpeechClientTtsProvider>);
        return builder;
    }
}
