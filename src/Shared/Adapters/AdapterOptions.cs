using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BookBytes.Internal;

/// <summary>
/// How every adapter package registers its options: bound from its section of the <see cref="IConfiguration"/>
/// in the container (if any) once, then the caller's <c>configure</c> delegates in call order, validated at start.
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
    /// <param name="adapterService">A service only this adapter registers: present means an earlier call registered everything.</param>
    /// <returns><see langword="true"/> on the first call, when the caller must register its services.</returns>
    public static bool Register<TOptions, TValidator>(IServiceCollection services, string sectionName, Action<TOptions>? configure, Type adapterService)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var first = !services.Any(d => d.ServiceType == adapterService);
        var options = services.AddOptions<TOptions>();
        if (first)
        {
            // Bound once: binding again on a later call would undo the earlier calls' configure delegates.
            options.Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(sectionName).Bind(o));
            options.ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return first;
    }
}
