using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BookBytes.Providers.ExtensionsAI;

/// <summary>Registers a <see cref="ChatClientLlmProvider"/> over the application's <see cref="IChatClient"/>.</summary>
public static class BookBytesBuilderChatClientExtensions
{
    /// <summary>
    /// Makes the application's <see cref="IChatClient"/> (the unkeyed one in the container, for example
    /// registered with <c>services.AddChatClient(...)</c> and its middleware) write the outlines and summaries:
    /// a singleton <see cref="ChatClientLlmProvider"/> becomes the <see cref="ILlmProvider"/>, replacing any
    /// registered before (the last call wins).
    /// </summary>
    /// <remarks>A container without an <see cref="IChatClient"/> fails the host's start with a message naming the type.</remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddChatClientLlm(this IBookBytesBuilder builder)
        => builder.AddChatClientLlm(configure: null);

    /// <summary>Makes the application's unkeyed <see cref="IChatClient"/> the provider's client, with <paramref name="configure"/> applied to the options.</summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes the options; <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddChatClientLlm(this IBookBytesBuilder builder, Action<ChatClientLlmOptions>? configure)
        => Add(builder, ClientRegistration<IChatClient, ChatClientLlmOptions>.FromContainer(null, keyed: false, Options(configure)));

    /// <summary>
    /// Makes the application's <see cref="IChatClient"/> registered with <paramref name="serviceKey"/> (for
    /// example with <c>services.AddKeyedChatClient(key, ...)</c>) write the outlines and summaries, as
    /// <see cref="AddChatClientLlm(IBookBytesBuilder, Action{ChatClientLlmOptions}?)"/> does.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="serviceKey">The client's service key.</param>
    /// <param name="configure">Sets the model, output limit; <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="serviceKey"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddChatClientLlm(this IBookBytesBuilder builder, object serviceKey, Action<ChatClientLlmOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        return Add(builder, ClientRegistration<IChatClient, ChatClientLlmOptions>.FromContainer(serviceKey, keyed: true, Options(configure)));
    }

    /// <summary>
    /// Makes the <see cref="IChatClient"/> that <paramref name="clientFactory"/> returns (called once, when the
    /// provider is first needed) write the outlines and summaries, as
    /// <see cref="AddChatClientLlm(IBookBytesBuilder, Action{ChatClientLlmOptions}?)"/> does.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="clientFactory">Creates the client; BookBytes does not dispose it.</param>
    /// <param name="configure">Sets the model, output limit; <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="clientFactory"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddChatClientLlm(this IBookBytesBuilder builder, Func<IServiceProvider, IChatClient> clientFactory, Action<ChatClientLlmOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(clientFactory);
        return Add(builder, ClientRegistration<IChatClient, ChatClientLlmOptions>.FromFactory(clientFactory, Options(configure)));
    }

    /// <summary>Makes the application's <see cref="IChatClient"/> registered with <paramref name="serviceKey"/> the provider's client, with the default options.</summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="serviceKey">The client's service key.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="serviceKey"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddChatClientLlm(this IBookBytesBuilder builder, object serviceKey)
        => builder.AddChatClientLlm(serviceKey, configure: null);

    /// <summary>Makes the <see cref="IChatClient"/> that <paramref name="clientFactory"/> returns the provider's client, with the default options.</summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="clientFactory">Creates the client, once; BookBytes does not dispose it.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="clientFactory"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddChatClientLlm(this IBookBytesBuilder builder, Func<IServiceProvider, IChatClient> clientFactory)
        => builder.AddChatClientLlm(clientFactory, configure: null);

    private static ChatClientLlmOptions Options(Action<ChatClientLlmOptions>? configure)
    {
        var options = new ChatClientLlmOptions();
        configure?.Invoke(options);
        return options;
    }

    private static IBookBytesBuilder Add(IBookBytesBuilder builder, ClientRegistration<IChatClient, ChatClientLlmOptions> registration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.RemoveAll<ClientRegistration<IChatClient, ChatClientLlmOptions>>();
        services.AddSingleton(registration);
        ServiceSlot.Fill<ILlmProvider, ChatClientLlmProvider>(services);
        services.TryAddSingleton(sp =>
        {
            var chosen = sp.GetRequiredService<ClientRegistration<IChatClient, ChatClientLlmOptions>>();
            return new ChatClientLlmProvider(chosen.Resolve(sp), chosen.Options, sp.GetService<ILogger<ChatClientLlmProvider>>());
        });
        StartCheck<IChatClient>.Register<ChatClientLlmOptions>(services, ServiceSlot.IsHeldBy<ILlmProvider, ChatClientLlmProvider>);
        return builder;
    }
}
