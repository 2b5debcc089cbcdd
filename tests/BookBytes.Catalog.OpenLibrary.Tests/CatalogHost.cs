using BookBytes.Books;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BookBytes.Catalog.OpenLibrary.Tests;

/// <summary>The catalog built through DI, so the real HttpClientFactory, resilience pipeline and cache run.</summary>
internal sealed class CatalogHost : IDisposable
{
    public const string Contact = "catalog-tests@bookbytes.example";

    private readonly ServiceProvider _provider;

    public CatalogHost(Uri baseUrl, Action<OpenLibraryOptions>? configure = null, Action<ILoggingBuilder>? logging = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => logging?.Invoke(b));
        new TestBuilder(services).AddOpenLibraryCatalog(o =>
        {
            o.BaseUrl = baseUrl;
            o.Contact = Contact;
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
            configure?.Invoke(o);
        });
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public IServiceProvider Services => _provider;

    public IBookCatalog Catalog => _provider.GetRequiredService<IBookCatalog>();

    public void Dispose() => _provider.Dispose();
}
