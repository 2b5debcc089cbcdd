using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.JobStore.Internal;
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

        (await second.GetSchemaVersionAsync()).Should().Be(5);
        (await second.GetAsync(job.Id)).Should().NotBeNull();
        (await CountRowsAsync("schema_migrations")).Should().Be(5);
    }

    [Fact]
    public async Task Many_stores_migrating_at_once_all_start()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => new SqliteBookBytesStore(_db.ConnectionString)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));
        var jobs = await Task.WhenAll(stores.Select(s => s.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"))));

        jobs.Should().HaveCount(6);
        (await stores[0].CountAsync()).Should().Be(6);
        (await CountRowsAsync("schema_migrations")).Should().Be(5);
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
    public async Task An_audiobook_of_a_version_3_database_becomes_a_model_summary_and_its_edition_can_get_a_narration()
    {
        const string edition = "0190f1d2-1c5b-7d0e-9a6f-0000000000e1";
        const string book = "0190f1d2-1c5b-7d0e-9a6f-0000000000b1";
        await using (var connection = new SqliteConnection(_db.ConnectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "PRAGMA foreign_keys=ON; CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            foreach (var (version, name, sql) in Migrations.All.Where(m => m.Version <= 3))
            {
                await ExecuteAsync(connection, sql + $"; INSERT INTO schema_migrations VALUES ({version}, '{name}', 0)");
            }

            await ExecuteAsync(connection,
                "INSERT INTO editions (id, isbn13, title, authors, language, subjects, table_of_contents) VALUES " +
                $"('{edition}', '9780306406157', 'Old Book', '[\"A. Writer\"]', 'en', '[]', '[]'); " +
                "INSERT INTO audiobooks (id, edition_id, status, version, pending_version, voice, total_duration_seconds, error_message, " +
                "llm_input_tokens, llm_output_tokens, tts_characters, created_at, updated_at) VALUES " +
                $"('{book}', '{edition}', 'Completed', 2, NULL, 'alloy', 61.5, NULL, 10, 20, 30, 638000000000000000, 638000000000000001); " +
                $"INSERT INTO audiobook_jobs (job_id, audiobook_id) VALUES ('0190f1d2-1c5b-7d0e-9a6f-0000000000a1', '{book}')");
        }

        await using var store = new SqliteBookBytesStore(_db.ConnectionString);
        await store.MigrateAsync();
        var read = await store.GetAudioBookAsync(Guid.Parse(book));
        var narration = new AudioBook
        {
            Id = Guid.CreateVersion7(),
            EditionId = Guid.Parse(edition),
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
        read.EditionId.Should().Be(Guid.Parse(edition));
        read.Status.Should().Be(AudioBookStatus.Completed);
        read.Version.Should().Be(2);
        read.TotalDurationSeconds.Should().Be(61.5);
        read.Usage.Should().Be(new UsageTotals(new Llm.LlmUsage(10, 20), 30));
        read.CreatedAt.UtcTicks.Should().Be(638000000000000000);
        read.UpdatedAt.UtcTicks.Should().Be(638000000000000001);
        (await store.FindAudioBookByEditionAsync(Guid.Parse(edition), AudioBookMode.Summary))!.Id.Should().Be(Guid.Parse(book));
        (await store.FindAudioBookByEditionAsync(Guid.Parse(edition), AudioBookMode.Narration))!.Id.Should().Be(narration.Id);
        (await store.GetJobIdsForAudioBookAsync(Guid.Parse(book))).Should().ContainSingle();
        await FluentActions.Awaiting(() => store.CreateAudioBookAsync(narration with { Id = Guid.CreateVersion7() }))
            .Should().ThrowAsync<AudioBookExistsException>();
        (await ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_audiobooks_created' AND tbl_name = 'audiobooks'")).Should().Be(1L);
        (await ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'audiobooks_new'")).Should().Be(0L);
        (await ScalarAsync("SELECT COUNT(*) FROM pragma_foreign_key_check")).Should().Be(0L);
    }

    [Fact]
    public void An_in_memory_database_is_refused()
    {
        var act = () => new SqliteBookBytesStore("Data Source=:memory:");

        act.Should().Throw<ArgumentException>().WithMessage("*database file*");
    }

    private Task<long> CountRowsAsync(string table) => ScalarAsync($"SELECT COUNT(*) FROM {table}");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
