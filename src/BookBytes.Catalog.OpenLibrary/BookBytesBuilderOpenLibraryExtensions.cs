using BookBytes.Books;
using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Internal.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Registers <see cref="OpenLibraryCatalog"/> on an <see cref="IBookBytesBuilder"/>.</summary>
public static class BookBytesBuilderOpenLibraryExtensions
{
    // Open Library records are a few kilobytes; anything near this is not a record.
    private const long MaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Registers <see cref="OpenLibraryCatalog"/> as a singleton <see cref="OpenLibraryCatalog"/> and
    /// <see cref="IBookCatalog"/>, replacing any <see cref="IBookCatalog"/> registered before (the last call wins), with the
    /// named <see cref="HttpClient"/>s <see cref="OpenLibraryCatalog.HttpClientName"/> and <see cref="OpenLibraryCatalog.CoversHttpClientName"/>
    /// (base address, <c>User-Agent</c>, the standard resilience handler; no <see cref="IHttpClientFactory"/> logging and Polly's
    /// events at Debug: the catalog logs one Warning per failed call itself) and an <see cref="Microsoft.Extensions.Caching.Memory.IMemoryCache"/>.
    /// Options are bound from <c>BookBytes:Catalog:OpenLibrary</c> of the registered <see cref="IConfiguration"/>,
    /// if any, then <paramref name="configure"/> is applied; they are validated when the host starts, unless a
    /// later registration replaced the catalog. Calling this again makes the catalog the registered one again
    /// and adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddOpenLibraryCatalog(this IBookBytesBuilder builder, Action<OpenLibraryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        ServiceSlot.Fill<IBookCatalog, OpenLibraryCatalog>(services);
        if (!AdapterOptions.Register<OpenLibraryOptions, OpenLibraryOptionsValidator>(
            services, OpenLibraryOptions.SectionName, configure, ServiceSlot.IsHeldBy<IBookCatalog, OpenLibraryCatalog>))
        {
            return builder;
        }

        services.AddMemoryCache();

        AddClient(services, OpenLibraryCatalog.HttpClientName, o => o.BaseUrl, "application/json", MaxResponseBytes);

        // Covers are streamed and bounded by the catalog itself (a too-large cover is no cover, not a failed request).
        AddClient(services, OpenLibraryCatalog.CoversHttpClientName, o => o.CoversBaseUrl, "image/jpeg, image/png", maxResponseBytes: null);

        services.AddSingleton<OpenLibraryCatalog>();
        return builder;
    }

    private static void AddClient(IServiceCollection services, string name, Func<OpenLibraryOptions, Uri> baseUrl, string accept, long? maxResponseBytes)
        => services.AddHttpClient(name)
            .ConfigureHttpClient((sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<OpenLibraryOptions>>().Value;
                client.BaseAddress = WithTrailingSlash(baseUrl(o));
                client.DefaultRequestHeaders.UserAgent.ParseAdd(o.EffectiveUserAgent);
                client.DefaultRequestHeaders.Accept.ParseAdd(accept);

                // The resilience handler owns time-outs; this only backstops reading the body after it.
                client.Timeout = o.TotalTimeout + TimeSpan.FromSeconds(5);
                if (maxResponseBytes is { } max)
                {
                    client.MaxResponseContentBufferSize = max;
                }
            })
            .UseAdapterLogging()
            .AddAdapterResilienceHandler<OpenLibraryOptions>(o => new ResilienceSettings(o.Timeout, o.TotalTimeout, o.RetryDelay, o.MaxRetryAttempts));

    /// <summary>The base URL as a base for relative paths: with a trailing slash, so its own path is kept.</summary>
    internal static Uri WithTrailingSlash(Uri baseUrl)
        => baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
