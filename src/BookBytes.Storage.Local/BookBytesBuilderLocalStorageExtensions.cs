using BookBytes.DependencyInjection;
using BookBytes.Internal;
using Microsoft.Extensions.Configuration;

namespace BookBytes.Storage.Local;

/// <summary>Registers <see cref="LocalStorageBackend"/> on an <see cref="IBookBytesBuilder"/>.</summary>
public static class BookBytesBuilderLocalStorageExtensions
{
    /// <summary>
    /// Registers <see cref="LocalStorageBackend"/> as a singleton <see cref="LocalStorageBackend"/> and
    /// <see cref="IStorageBackend"/>, replacing any <see cref="IStorageBackend"/> registered before: the last call wins.
    /// Options are bound from <c>BookBytes:Storage:Local</c> of the registered <see cref="IConfiguration"/>, if any,
    /// then <paramref name="configure"/> is applied (a later call adds its <paramref name="configure"/>); they are
    /// validated when the host starts, unless a later registration replaced the backend.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddLocalStorage(this IBookBytesBuilder builder, Action<LocalStorageOptions>? configure = null)
        => StorageBackendRegistration.Add<LocalStorageBackend, LocalStorageOptions, LocalStorageOptionsValidator>(builder, LocalStorageOptions.SectionName, configure);
}
