using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.JobStore.Internal;
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

        (await second.GetSchemaVersionAsync()).Should().Be(5);
        (await second.GetAsync(job.Id)).Should().NotBeNull();
        (await ScalarAsync(connectionString, "SELECT COUNT(*) FROM schema_migrations")).Should().Be(5L);
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
        (await ScalarAsync(connectionString, "SELECT COUNT(*) FROM schema_migrations")).Should().Be(5L);
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
        (await store.GetSchemaVersionAsync()).Should().Be(5);
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

    [Fact]
    public async Task An_audiobook_of_a_version_3_database_becomes_a_model_summary_and_its_edition_can_get_a_narration()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var edition = Guid.Parse("0190f1d2-1c5b-7d0e-9a6f-0000000000e1");
        var book = Guid.Parse("0190f1d2-1c5b-7d0e-9a6f-0000000000b1");
        var created = new DateTimeOffset(2025, 6, 7, 8, 9, 10, TimeSpan.Zero);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "CREATE TABLE schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)");
            foreach (var (version, name, sql) in Migrations.All.Where(m => m.Version <= 3))
            {
                await ExecuteAsync(connection, sql);
                await ExecuteAsync(connection, "INSERT INTO schema_migrations VALUES (@v, @n, now())", ("v", version), ("n", name));
            }

            await ExecuteAsync(connection,
                "INSERT INTO editions (id, isbn13, title, authors, language, subjects, table_of_contents) VALUES (@e, '9780306406157', 'Old Book', '[\"A. Writer\"]', 'en', '[]', '[]')",
                ("e", edition));
            await ExecuteAsync(connection,
                "INSERT INTO audiobooks (id, edition_id, status, version, pending_version, voice, total_duration_seconds, error_message, " +
                "llm_input_tokens, llm_output_tokens, tts_characters, created_at, updated_at) VALUES " +
                "(@b, @e, 'Completed', 2, NULL, 'alloy', 61.5, NULL, 10, 20, 30, @t, @t)",
                ("b", book), ("e", edition), ("t", created));
        }

        await using var store = new PostgreSqlBookBytesStore(connectionString);
        await store.MigrateAsync();
        var read = await store.GetAudioBookAsync(book);
        var narration = new AudioBook
        {
            Id = Guid.CreateVersion7(),
            EditionId = edition,
            Mode = AudioBookMode.Narration,
            Grounding = AudioBookGrounding.Text,
            Status = AudioBookStatus.Pending,
            Voice = "alloy",
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await store.CreateAudioBookAsync(narration);

        (await store.GetSchemaVersionAsync()).Should().Be(5);
        read.Should().NotBeNull();
        read!.Mode.Should().Be(AudioBookMode.Summary);
        read.Grounding.Should().Be(AudioBookGrounding.Model);
        read.SummaryWords.Should().BeNull();
        read.EditionId.Should().Be(edition);
        read.Status.Should().Be(AudioBookStatus.Completed);
        read.Version.Should().Be(2);
        read.Usage.Should().Be(new UsageTotals(new Llm.LlmUsage(10, 20), 30));
        read.CreatedAt.Should().Be(created);
        (await store.FindAudioBookByEditionAsync(edition, AudioBookMode.Summary))!.Id.Should().Be(book);
        (await store.FindAudioBookByEditionAsync(edition, AudioBookMode.Narration))!.Id.Should().Be(narration.Id);
        await FluentActions.Awaiting(() => store.CreateAudioBookAsync(narration with { Id = Guid.CreateVersion7() }))
            .Should().ThrowAsync<AudioBookExistsException>();
        (await ScalarAsync(connectionString, "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = 'audiobooks'::regclass AND contype = 'u'")).Should().Be(1L, "only the (edition_id, mode) key is left");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
