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

        (await second.GetSchemaVersionAsync()).Should().Be(1);
        (await second.GetAsync(job.Id)).Should().NotBeNull();
        (await CountRowsAsync("schema_migrations")).Should().Be(1);
    }

    [Fact]
    public async Task Many_stores_migrating_at_once_all_start()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => new SqliteBookBytesStore(_db.ConnectionString)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));
        var jobs = await Task.WhenAll(stores.Select(s => s.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"))));

        jobs.Should().HaveCount(6);
        (await stores[0].CountAsync()).Should().Be(6);
        (await CountRowsAsync("schema_migrations")).Should().Be(1);
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
