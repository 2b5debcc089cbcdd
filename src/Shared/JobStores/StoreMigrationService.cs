using Microsoft.Extensions.Hosting;

namespace BookBytes.JobStore.Internal;

/// <summary>
/// Migrates the schema in <see cref="IHostedLifecycleService.StartingAsync"/>, before any hosted
/// service (the job runner among them) starts, so a host with a bad database fails at start-up.
/// </summary>
/// <typeparam name="TStore">The store.</typeparam>
/// <remarks>Compiled into each job-store package (adapters do not depend on each other).</remarks>
internal sealed class StoreMigrationService<TStore>(TStore store) : IHostedLifecycleService
    where TStore : IMigratingStore
{
    public Task StartingAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
