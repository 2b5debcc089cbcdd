using BookBytes.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BookBytes.Internal;

/// <summary>The registration of a storage backend package: its options, its singleton, and the <see cref="Storage.IStorageBackend"/> slot.</summary>
/// <remarks>Compiled into each storage package (adapters do not depend on each other).</remarks>
internal static class StorageBackendRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TBackend"/> as a singleton of its own type and as the one
    /// <see cref="Storage.IStorageBackend"/>, replacing any registered before; the options are bound from
    /// <paramref name="sectionName"/> on the first call and validated at start while the backend is the registered one.
    /// </summary>
    /// <typeparam name="TBackend">The backend.</typeparam>
    /// <typeparam name="TOptions">Its options.</typeparam>
    /// <typeparam name="TValidator">Validates the options, naming configuration keys.</typeparam>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="sectionName">The configuration section.</param>
    /// <param name="configure">Changes applied after configuration binding.</param>
    /// <returns>The same builder.</returns>
    public static IBookBytesBuilder Add<TBackend, TOptions, TValidator>(IBookBytesBuilder builder, string sectionName, Action<TOptions>? configure)
        where TBackend : class, Storage.IStorageBackend
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AdapterOptions.Register<TOptions, TValidator>(services, sectionName, configure, ServiceSlot.IsHeldBy<Storage.IStorageBackend, TBackend>);
        services.TryAddSingleton<TBackend>();
        ServiceSlot.Fill<Storage.IStorageBackend, TBackend>(services);
        return builder;
    }
}
