using BookBytes.Jobs;
using Npgsql;

namespace BookBytes.JobStore.PostgreSql.Tests;

[Collection(PostgresTests.Name)]
public sealed class PostgreSqlMigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrating_twice_is_a_no_op()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await using var store = new PostgreSqlBookBytesStore(connectionString);
        await store.MigrateAsync();
        var job = await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));

        await store.MigrateAsync();
        await using var second = new PostgreSqlBookBytesStore(connectionString);
        await second.MigrateAsync();

        (await second.GetSchemaVersionAsync()).Should().Be(4);
        (await second.GetAsync(job.Id)).Should().NotBeNull();
        (await ScalarAsync(connectionString, "SELECT COUNT(*) FROM schema_migrations")).Should().Be(4L);
    }

    [Fact]
    public async Task Many_nodes_migrating_at_once_all_start()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgreSqlBookBytesStore(connectionString)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));
        var jobs = await Task.WhenAll(stores.Select(s => s.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"))));

        jobs.Should().HaveCount(6);
        (await stores[0].CountAsync()).Should().Be(6);
        (await ScalarAsync(connectionString, "SELECT COUNT(*) FROM schema_migrations")).Should().Be(4L);
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_fresh_database_is_at_version_0_until_first_use()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await using var store = new PostgreSqlBookBytesStore(connectionString);

        var before = await store.GetSchemaVersionAsync();
        await store.CountAsync();

        before.Should().Be(0);
        (await store.GetSchemaVersionAsync()).Should().Be(4);
    }

    [Fact]
    public async Task The_claim_query_uses_the_pending_index()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await using var store = new PostgreSqlBookBytesStore(connectionString);
        await store.MigrateAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SET enable_seqscan = off; EXPLAIN SELECT id FROM jobs WHERE status = 'Pending' AND not_before <= now() ORDER BY not_before, created_at LIMIT 1", connection);
        var plan = string.Empty;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan += reader.GetString(0) + "\n";
            }
        }

        plan.Should().Contain("ix_jobs_pending_due");
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
