using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Llm;
using BookBytes.Providers.Local.Summaries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BookBytes.Providers.Local;

/// <summary>Registers extractive summaries, the offline summariser that needs no language model.</summary>
public static class BookBytesBuilderExtractiveExtensions
{
    /// <summary>
    /// Registers <see cref="ExtractiveLlmProvider"/> (TextRank over a book's own sentences) as the singleton
    /// <see cref="ILlmProvider"/>, replacing any registered before (the last call wins, as with every other
    /// <c>Add…</c> method that fills the slot). It needs no settings, key or network.
    /// </summary>
    /// <remarks>
    /// The provider summarises only from a book's text (<see cref="ILlmProvider.RequiresText"/> is <see langword="true"/>):
    /// an uploaded document is summarised chapter by chapter, while processing a book known only by its catalog entry in
    /// summary mode is refused before any job starts. Its usage is always zero tokens. Calling this method again registers
    /// nothing twice. The provider is thread-safe.
    /// </remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddExtractiveSummaries(this IBookBytesBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        ServiceSlot.Fill<ILlmProvider, ExtractiveLlmProvider>(services);
        if (!services.Any(d => d.ServiceType == typeof(ExtractiveLlmProvider)))
        {
            services.AddSingleton(sp => new ExtractiveLlmProvider(sp.GetService<ILogger<ExtractiveLlmProvider>>()));
        }

        return builder;
    }
}
