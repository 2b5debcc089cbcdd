using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.Local;

/// <summary>Registers <see cref="LocalStorageBackend"/> on an <see cref="IBookBytesBuilder"/>.</summary>
public static class BookBytesBuilderLocalStorageExtensions
{
    /// <summary>The service key under which the backend is also registered as a keyed <see cref="IStorageBackend"/>: <c>Local</c>.</summary>
    public const string ServiceKey = "Local";

    /// <summary>
    /// Registers <see cref="LocalStorageBackend"/> as a singleton <see cref="LocalStorageBackend"/>,
    /// <see cref="IStorageBackend"/> and keyed <see cref="IStorageBackend"/> (<see cref="ServiceKey"/>).
    /// Options are bound from <c>BookBytes:Storage:Local</c> of the registered <see cref="IConfiguration"/>, if any,
    /// then <paramref name="configure"/> is applied; they are validated when the host starts.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddLocalStorage(this IBookBytesBuilder builder, Action<LocalStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        if (AdapterOptions.Register<LocalStorageOptions, LocalStorageOptionsValidator>(services, LocalStorageOptions.SectionName, configure, typeof(LocalStorageBackend)))
        {
            services.AddSingleton<LocalStorageBackend>();
            services.AddSingleton<IStorageBackend>(sp => sp.GetRequiredService<LocalStorageBackend>());
            services.AddKeyedSingleton<IStorageBackend>(ServiceKey, (sp, _) => sp.GetRequiredService<LocalStorageBackend>());
        }

        return builder;
    }
}
