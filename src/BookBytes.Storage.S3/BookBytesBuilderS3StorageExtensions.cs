using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.S3;

/// <summary>Registers <see cref="S3StorageBackend"/> on an <see cref="IBookBytesBuilder"/>.</summary>
public static class BookBytesBuilderS3StorageExtensions
{
    /// <summary>The service key under which the backend is also registered as a keyed <see cref="IStorageBackend"/>: <c>S3</c>.</summary>
    public const string ServiceKey = "S3";

    /// <summary>
    /// Registers <see cref="S3StorageBackend"/> as a singleton <see cref="S3StorageBackend"/>,
    /// <see cref="IStorageBackend"/> and keyed <see cref="IStorageBackend"/> (<see cref="ServiceKey"/>).
    /// Options are bound from <c>BookBytes:Storage:S3</c> of the registered <see cref="IConfiguration"/>, if any,
    /// then <paramref name="configure"/> is applied; they are validated when the host starts.
    /// The backend creates and owns its own <c>AmazonS3Client</c>: no <c>IAmazonS3</c> is registered, so an
    /// application's own <c>IAmazonS3</c> registration is neither used nor replaced.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddS3Storage(this IBookBytesBuilder builder, Action<S3StorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        if (AdapterOptions.Register<S3StorageOptions, S3StorageOptionsValidator>(services, S3StorageOptions.SectionName, configure, typeof(S3StorageBackend)))
        {
            services.AddSingleton<S3StorageBackend>();
            services.AddSingleton<IStorageBackend>(sp => sp.GetRequiredService<S3StorageBackend>());
            services.AddKeyedSingleton<IStorageBackend>(ServiceKey, (sp, _) => sp.GetRequiredService<S3StorageBackend>());
        }

        return builder;
    }
}
