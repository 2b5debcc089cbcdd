using BookBytes.Jobs;
using Microsoft.Data.Sqlite;

namespace BookBytes.JobStore.Sqlite.Tests;

public sealed class SqliteMigrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Migrating_twice_is_a_no_op()
    {
        await using var store = new SqliteBookBytesStore(_db.ConnectionString);
        await store.MigrateAsync();
        var job = await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));

        await store.MigrateAsync();
        await using var second = new SqliteBookBytesStore(_db.ConnectionString);
        await second.MigrateAsync();

        (await second.GetSchemaVersionAsync()).Should().Be(4);
        (await second.GetAsync(job.Id)).Should().NotBeNull();
        (await CountRowsAsync("schema_migrations")).Should().Be(4);
    }

    [Fact]
    public async Task Many_stores_migrating_at_once_all_start()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => new SqliteBookBytesStore(_db.ConnectionString)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));
        var jobs = await Task.WhenAll(stores.Select(s => s.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"))));

        jobs.Should().HaveCount(6);
        (await stores[0].CountAsync()).Should().Be(6);
        (await CountRowsAsync("schema_migrations")).Should().Be(4);
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_database_is_in_wal_mode_after_migration()
    {
        await using var store = new SqliteBookBytesStore(_db.ConnectionString);

        await store.MigrateAsync();

        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        ((string)(await command.ExecuteScalarAsync())!).Should().Be("wal");
    }

    [Fact]
    public async Task Jobs_a_database_of_the_previous_release_holds_are_claimed_with_their_kinds()
    {
        // The previous release stored its closed JobType enum by name, in the same schema.
        await using (var first = new SqliteBookBytesStore(_db.ConnectionString))
        {
            await first.MigrateAsync();
        }

        await using (var connection = new SqliteConnection(_db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText =
                "INSERT INTO jobs (id, type, status, payload, max_attempts, not_before, created_at, updated_at) VALUES " +
                "('0190f1d2-1c5b-7d0e-9a6f-000000000001', 'AudiobookGeneration', 'Pending', '{}', 3, 1, 1, 1), " +
                "('0190f1d2-1c5b-7d0e-9a6f-000000000002', 'AudiobookRefresh', 'Pending', '{}', 3, 2, 2, 2)";
            await insert.ExecuteNonQueryAsync();
        }

        await using var store = new SqliteBookBytesStore(_db.ConnectionString);
        await store.MigrateAsync();
        var generation = await store.ClaimNextAsync("w", TimeSpan.FromMinutes(1));
        var refresh = await store.ClaimNextAsync("w", TimeSpan.FromMinutes(1));

        generation!.Job.Type.Should().Be(JobKind.AudiobookGeneration);
        refresh!.Job.Type.Should().Be(JobKind.AudiobookRefresh);
    }

    [Fact]
    public void An_in_memory_database_is_refused()
    {
        var act = () => new SqliteBookBytesStore("Data Source=:memory:");

        act.Should().Throw<ArgumentException>().WithMessage("*database file*");
    }

    private async Task<long> CountRowsAsync(string table)
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
