using BookBytes.DependencyInjection;
using BookBytes.Internal;
using Microsoft.Extensions.Configuration;

namespace BookBytes.Storage.S3;

/// <summary>Registers <see cref="S3StorageBackend"/> on an <see cref="IBookBytesBuilder"/>.</summary>
public static class BookBytesBuilderS3StorageExtensions
{
    /// <summary>
    /// Registers <see cref="S3StorageBackend"/> as a singleton <see cref="S3StorageBackend"/> and
    /// <see cref="IStorageBackend"/>, replacing any <see cref="IStorageBackend"/> registered before: the last call wins.
    /// Options are bound from <c>BookBytes:Storage:S3</c> of the registered <see cref="IConfiguration"/>, if any,
    /// then <paramref name="configure"/> is applied (a later call adds its <paramref name="configure"/>); they are
    /// validated when the host starts, unless a later registration replaced the backend.
    /// The backend creates and owns its own <c>AmazonS3Client</c>: no <c>IAmazonS3</c> is registered, so an
    /// application's own <c>IAmazonS3</c> registration is neither used nor replaced.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddS3Storage(this IBookBytesBuilder builder, Action<S3StorageOptions>? configure = null)
        => StorageBackendRegistration.Add<S3StorageBackend, S3StorageOptions, S3StorageOptionsValidator>(builder, S3StorageOptions.SectionName, configure);
}
