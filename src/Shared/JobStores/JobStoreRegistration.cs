using BookBytes.AudioBooks;
using BookBytes.Internal;
using BookBytes.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BookBytes.JobStore.Internal;

/// <summary>The registration of a job-store package: the last store registered is the only one in use.</summary>
/// <remarks>Compiled into each job-store package (adapters do not depend on each other).</remarks>
internal static class JobStoreRegistration
{
    /// <summary>
    /// Registers one <typeparamref name="TStore"/> singleton as <see cref="IJobStore"/> and <see cref="IAudioBookStore"/>,
    /// and its migration hosted service, replacing every store registered before: their registrations of those
    /// services and of <see cref="IJobNotificationSource"/>, and the migration service of any job-store package.
    /// </summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="create">Creates the store.</param>
    public static void Replace<TStore>(IServiceCollection services, Func<IServiceProvider, TStore> create)
        where TStore : class, IJobStore, IAudioBookStore, IMigratingStore
    {
        services.RemoveAll<TStore>();
        services.AddSingleton(create);
        ServiceSlot.Fill<IJobStore, TStore>(services);
        ServiceSlot.Fill<IAudioBookStore, TStore>(services);
        ServiceSlot.Empty<IJobNotificationSource>(services);

        // Each job-store package compiles its own StoreMigrationService<>, so another package's is found by its
        // name: a displaced store must not migrate (or fail the start on) a database the host no longer uses.
        var migrationService = typeof(StoreMigrationService<>).FullName;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i] is { ServiceType: var type, ImplementationType: { IsGenericType: true } implementation }
                && type == typeof(IHostedService)
                && implementation.GetGenericTypeDefinition().FullName == migrationService)
            {
                services.RemoveAt(i);
            }
        }

        services.AddSingleton<IHostedService, StoreMigrationService<TStore>>();
    }
}
