using BookBytes.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BookBytes.Pipeline.Jobs;

/// <summary>Registers job handlers on an <see cref="IBookBytesBuilder"/>, so the job runner runs jobs of more kinds.</summary>
public static class BookBytesBuilderJobHandlerExtensions
{
    /// <summary>
    /// Registers a handler (a singleton) for the kinds in its <see cref="IJobHandler.Kinds"/>. For a kind that already
    /// has a handler, the last registration wins — the audiobook kinds' built-in handler included.
    /// </summary>
    /// <typeparam name="THandler">The handler; created by the container, so its constructor may take services.</typeparam>
    /// <param name="builder">The BookBytes builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddJobHandler<THandler>(this IBookBytesBuilder builder)
        where THandler : class, IJobHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, THandler>());
        return builder;
    }

    /// <summary>Registers a handler instance for the kinds in its <see cref="IJobHandler.Kinds"/>; the last registration of a kind wins.</summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="handler"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddJobHandler(this IBookBytesBuilder builder, IJobHandler handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton(handler);
        return builder;
    }
}
