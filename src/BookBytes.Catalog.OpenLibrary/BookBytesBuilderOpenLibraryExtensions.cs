using System.Net.Http.Headers;
using BookBytes.Books;
using BookBytes.DependencyInjection;
using BookBytes.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Registers <see cref="OpenLibraryCatalog"/> on an <see cref="IBookBytesBuilder"/>.</summary>
public static class BookBytesBuilderOpenLibraryExtensions
{
    /// <summary>The service key under which the catalog is also registered as a keyed <see cref="IBookCatalog"/>: <c>OpenLibrary</c>.</summary>
    public const string ServiceKey = "OpenLibrary";

    // Open Library records are a few kilobytes; anything near this is not a record.
    private const long MaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Registers <see cref="OpenLibraryCatalog"/> as a singleton <see cref="OpenLibraryCatalog"/>,
    /// <see cref="IBookCatalog"/> and keyed <see cref="IBookCatalog"/> (<see cref="ServiceKey"/>), with the
    /// named <see cref="HttpClient"/> <see cref="OpenLibraryCatalog.HttpClientName"/> (base address,
    /// <c>User-Agent</c>, the standard resilience handler) and an <see cref="Microsoft.Extensions.Caching.Memory.IMemoryCache"/>.
    /// Options are bound from <c>BookBytes:Catalog:OpenLibrary</c> of the registered <see cref="IConfiguration"/>,
    /// if any, then <paramref name="configure"/> is applied; they are validated when the host starts.
    /// Calling this again only adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddOpenLibraryCatalog(this IBookBytesBuilder builder, Action<OpenLibraryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!AdapterOptions.Register<OpenLibraryOptions, OpenLibraryOptionsValidator>(services, OpenLibraryOptions.SectionName, configure, typeof(OpenLibraryCatalog)))
        {
            return builder;
        }

        services.AddMemoryCache();

        services.AddHttpClient(OpenLibraryCatalog.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<OpenLibraryOptions>>().Value;
                client.BaseAddress = WithTrailingSlash(o.BaseUrl);
                client.DefaultRequestHeaders.UserAgent.ParseAdd(o.EffectiveUserAgent);
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

                // The resilience handler owns time-outs; this only backstops reading the body after it.
                client.Timeout = o.TotalTimeout + TimeSpan.FromSeconds(5);
                client.MaxResponseContentBufferSize = MaxResponseBytes;
            })
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) =>
            {
                OpenLibraryOptions o;
                try
                {
                    o = sp.GetRequiredService<IOptions<OpenLibraryOptions>>().Value;
                }
                catch (OptionsValidationException)
                {
                    // The start-up validation of OpenLibraryOptions reports this once, naming the key; the
                    // resilience options are validated at start too and would report it a second time.
                    return;
                }

                resilience.AttemptTimeout.Timeout = o.Timeout;
                resilience.TotalRequestTimeout.Timeout = o.TotalTimeout;
                var sampling = o.Timeout * 2;
                resilience.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(30) ? sampling : TimeSpan.FromSeconds(30);
                resilience.Retry.Delay = o.RetryDelay;
                resilience.Retry.BackoffType = DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.Retry.ShouldRetryAfterHeader = true;
                if (o.MaxRetryAttempts == 0)
                {
                    // Polly requires at least one attempt; refusing every outcome turns retries off.
                    resilience.Retry.MaxRetryAttempts = 1;
                    resilience.Retry.ShouldHandle = static _ => PredicateResult.False();
                }
                else
                {
                    resilience.Retry.MaxRetryAttempts = o.MaxRetryAttempts;
                }
            });

        services.AddSingleton<OpenLibraryCatalog>();
        services.AddSingleton<IBookCatalog>(sp => sp.GetRequiredService<OpenLibraryCatalog>());
        services.AddKeyedSingleton<IBookCatalog>(ServiceKey, (sp, _) => sp.GetRequiredService<OpenLibraryCatalog>());
        return builder;
    }

    private static Uri WithTrailingSlash(Uri baseUrl)
        => baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
