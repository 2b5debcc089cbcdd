using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BookBytes.Internal;

/// <summary>
/// How every adapter package registers its options: bound from its section of the <see cref="IConfiguration"/>
/// in the container (if any) once, then the caller's <c>configure</c> delegates in call order, validated at start
/// while the adapter is in use.
/// </summary>
/// <remarks>Compiled into each adapter package (adapters do not depend on each other or on the pipeline).</remarks>
internal static class AdapterOptions
{
    /// <summary>Registers <typeparamref name="TOptions"/> for an adapter.</summary>
    /// <typeparam name="TOptions">The adapter's options.</typeparam>
    /// <typeparam name="TValidator">Validates the options, naming configuration keys.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="sectionName">The configuration section, for example <c>BookBytes:Storage:Local</c>.</param>
    /// <param name="configure">Changes applied after binding, and after those of earlier calls.</param>
    /// <param name="inUse">
    /// Whether the adapter still holds one of its slots in the collection the container was built from
    /// (<see cref="ServiceSlot.IsHeldBy{TService, TImplementation}"/>). An adapter a later registration
    /// displaced is not validated: its settings cannot fail the start of a host that does not use it.
    /// </param>
    /// <returns><see langword="true"/> on the first call, when the caller must register its services.</returns>
    public static bool Register<TOptions, TValidator>(
        IServiceCollection services, string sectionName, Action<TOptions>? configure, Func<IEnumerable<ServiceDescriptor>, bool> inUse)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        var first = !services.Any(d => d.ServiceType == typeof(AdapterUse<TOptions>));
        var options = services.AddOptions<TOptions>();
        if (first)
        {
            services.AddSingleton(new AdapterUse<TOptions>(services, inUse));

            // Bound once: binding again on a later call would undo the earlier calls' configure delegates.
            options.Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(sectionName).Bind(o));
            options.ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, ValidatorWhileInUse<TOptions, TValidator>>());
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return first;
    }

    /// <summary>Whether the adapter of <typeparamref name="TOptions"/> holds a slot in the container.</summary>
    /// <typeparam name="TOptions">The adapter's options.</typeparam>
    /// <param name="services">The container.</param>
    /// <returns><see langword="false"/> when later registrations displaced the adapter.</returns>
    public static bool InUse<TOptions>(IServiceProvider services)
        where TOptions : class
        => services.GetService<AdapterUse<TOptions>>()?.InUse ?? false;

    // Holds the collection itself: which registration a slot resolves to is only known once every call is made.
    internal sealed class AdapterUse<TOptions>(IEnumerable<ServiceDescriptor> services, Func<IEnumerable<ServiceDescriptor>, bool> inUse)
        where TOptions : class
    {
        public bool InUse => inUse(services);
    }

    internal sealed class ValidatorWhileInUse<TOptions, TValidator>(AdapterUse<TOptions> use) : IValidateOptions<TOptions>
        where TOptions : class
        where TValidator : IValidateOptions<TOptions>, new()
    {
        private readonly TValidator _validator = new();

        public ValidateOptionsResult Validate(string? name, TOptions options)
            => use.InUse ? _validator.Validate(name, options) : ValidateOptionsResult.Skip;
    }
}
