namespace BookBytes.JobStore.Internal;

/// <summary>A store whose schema <see cref="StoreMigrationService{TStore}"/> migrates when the host is starting.</summary>
/// <remarks>Compiled into each job-store package (adapters do not depend on each other).</remarks>
internal interface IMigratingStore
{
    /// <summary>Applies the migrations the database lacks.</summary>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    Task MigrateAsync(CancellationToken cancellationToken = default);
}
