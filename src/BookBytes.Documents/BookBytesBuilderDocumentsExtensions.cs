using BookBytes.DependencyInjection;
using BookBytes.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BookBytes.Documents;

/// <summary>Registers the document readers and <see cref="BookDocumentParser"/>.</summary>
public static class BookBytesBuilderDocumentsExtensions
{
    /// <summary>
    /// Registers <see cref="BookDocumentParser"/> and the built-in readers — EPUB 2 and 3, PDF, HTML, Markdown,
    /// plain text — as <see cref="IBookDocumentReader"/>s, with <see cref="DocumentOptions"/> bound from
    /// <c>BookBytes:Documents</c> and then <paramref name="configure"/>, validated at start-up.
    /// </summary>
    /// <remarks>Calling it again registers nothing twice and only adds <paramref name="configure"/>.</remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddDocuments(this IBookBytesBuilder builder, Action<DocumentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AdapterOptions.Register<DocumentOptions, DocumentOptionsValidator>(services, DocumentOptions.SectionName, configure, _ => true);
        services.TryAddSingleton<BookDocumentParser>();
        foreach (var reader in BuiltInReaders.All)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IBookDocumentReader), reader));
        }

        return builder;
    }

    /// <summary>
    /// Adds a reader for a format of your own, asked after the built-in ones when sniffing is not sure. A reader
    /// whose <see cref="IBookDocumentReader.Sniff"/> says <see cref="DocumentMatch.Certain"/> is chosen whatever
    /// the declared type.
    /// </summary>
    /// <typeparam name="TReader">The reader; a stateless, thread-safe singleton.</typeparam>
    /// <param name="builder">The BookBytes builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddDocumentReader<TReader>(this IBookBytesBuilder builder)
        where TReader : class, IBookDocumentReader
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IBookDocumentReader, TReader>());
        return builder;
    }
}
