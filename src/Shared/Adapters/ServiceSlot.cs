using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BookBytes.Internal;

/// <summary>
/// The registration rule of every adapter for a service the pipeline resolves one of (a storage backend, a
/// catalog, an LLM or TTS provider, the stores): the last call wins. Filling a slot removes every earlier
/// registration of the service, whoever made it, and forwards the service to the adapter's singleton.
/// </summary>
/// <remarks>Compiled into each adapter package (adapters do not depend on each other or on the pipeline).</remarks>
internal static class ServiceSlot
{
    /// <summary>Makes <typeparamref name="TService"/> resolve to the singleton <typeparamref name="TImplementation"/>, and nothing else.</summary>
    /// <typeparam name="TService">The single-slot service, for example <c>IStorageBackend</c>.</typeparam>
    /// <typeparam name="TImplementation">The adapter's type, registered as itself by the caller.</typeparam>
    /// <param name="services">The service collection.</param>
    public static void Fill<TService, TImplementation>(IServiceCollection services)
        where TService : class
        where TImplementation : class, TService
    {
        services.RemoveAll<TService>();
        services.AddSingleton<TService>(Forward<TImplementation>.Instance.Resolve);
    }

    /// <summary>Removes every registration of <typeparamref name="TService"/>: the adapter filling the other slots has none to give.</summary>
    /// <typeparam name="TService">The service, for example <c>IJobNotificationSource</c>.</typeparam>
    /// <param name="services">The service collection.</param>
    public static void Empty<TService>(IServiceCollection services)
        where TService : class
        => services.RemoveAll<TService>();

    /// <summary>
    /// Whether <typeparamref name="TService"/> resolves to <typeparamref name="TImplementation"/>: its last
    /// registration, the one a container resolves, is the one <see cref="Fill{TService, TImplementation}"/> added.
    /// </summary>
    /// <typeparam name="TService">The single-slot service.</typeparam>
    /// <typeparam name="TImplementation">The adapter's type.</typeparam>
    /// <param name="services">The service collection the container was built from.</param>
    /// <returns><see langword="false"/> when another adapter, or the application, registered the service later.</returns>
    public static bool IsHeldBy<TService, TImplementation>(IEnumerable<ServiceDescriptor> services)
        where TService : class
        where TImplementation : class, TService
        => services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService)?.ImplementationFactory?.Target is Forward<TImplementation>;

    // A named target for the forwarding factory, so IsHeldBy can tell which adapter a registration is.
    private sealed class Forward<TImplementation>
        where TImplementation : class
    {
        public static readonly Forward<TImplementation> Instance = new();

        [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "An instance method: the factory's Target names the adapter.")]
        public TImplementation Resolve(IServiceProvider services) => services.GetRequiredService<TImplementation>();
    }
}
