using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.JobStore.Internal;
using BookBytes.JobStore.PostgreSql.Internal;
using BookBytes.Jobs;
using BookBytes.Llm;
using Npgsql;
using NpgsqlTypes;

namespace BookBytes.JobStore.PostgreSql;

/// <content>The <see cref="IAudioBookStore"/> half.</content>
public sealed partial class PostgreSqlBookBytesStore
{
    private const string EditionColumns =
        "id, isbn13, title, authors, language, publisher, publish_year, page_count, cover_url, description, subjects, table_of_contents, source, document";

    private const string AudioBookColumns =
        "id, edition_id, status, version, pending_version, voice, total_duration_seconds, error_message, " +
        "llm_input_tokens, llm_output_tokens, tts_characters, created_at, updated_at, mode, grounding, summary_words, package";

    private const string ChapterColumns =
        "audiobook_id, version, number, title, status, summary, word_count, audio_key, audio_size_bytes, duration_seconds, " +
        "error_message, llm_input_tokens, llm_output_tokens, tts_characters, updated_at";

    private const string EditionInsert =
        "INSERT INTO editions (" + EditionColumns + ") VALUES " +
        "(@id, @isbn, @title, @authors, @language, @publisher, @year, @pages, @cover, @description, @subjects, @toc, @source, @document) ";

    private const string EditionUpdate =
        "title = excluded.title, authors = excluded.authors, language = excluded.language, publisher = excluded.publisher, " +
        "publish_year = excluded.publish_year, page_count = excluded.page_count, cover_url = excluded.cover_url, " +
        "description = excluded.description, subjects = excluded.subjects, table_of_contents = excluded.table_of_contents, " +
        "source = excluded.source, document = excluded.document";

    // An ISBN already stored keeps its first id; an edition without ISBN is keyed by its id.
    private const string UpsertEditionByIsbnSql = EditionInsert + "ON CONFLICT (isbn13) DO UPDATE SET " + EditionUpdate + " RETURNING id";

    private const string UpsertEditionByIdSql = EditionInsert + "ON CONFLICT (id) DO UPDATE SET isbn13 = excluded.isbn13, " + EditionUpdate + " RETURNING id";

    private const string SaveChapterSql =
        "INSERT INTO chapters (" + ChapterColumns + ") VALUES " +
        "(@book, @version, @number, @title, @status, @summary, @words, @key, @size, @duration, @error, @llmIn, @llmOut, @tts, @updated) " +
        "ON CONFLICT (audiobook_id, version, number) DO UPDATE SET title = excluded.title, status = excluded.status, " +
        "summary = excluded.summary, word_count = excluded.word_count, audio_key = excluded.audio_key, " +
        "audio_size_bytes = excluded.audio_size_bytes, duration_seconds = excluded.duration_seconds, " +
        "error_message = excluded.error_message, llm_input_tokens = excluded.llm_input_tokens, " +
        "llm_output_tokens = excluded.llm_output_tokens, tts_characters = excluded.tts_characters, updated_at = excluded.updated_at";

    // What an audiobook is made of (edition, mode, grounding, words) and when it was created are fixed at creation.
    private const string UpdateAudioBookSql =
        "UPDATE audiobooks SET status = @status, version = @version, " +
        "pending_version = @pending, voice = @voice, total_duration_seconds = @duration, error_message = @error, " +
        "llm_input_tokens = @llmIn, llm_output_tokens = @llmOut, tts_characters = @tts, updated_at = @updated, package = @package " +
        "WHERE id = @id";

    /// <inheritdoc/>
    public async Task<Edition> UpsertEditionAsync(Edition edition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edition);
        if (edition.Isbn13 is null)
        {
            return await UpsertEditionAsync(edition, UpsertEditionByIdSql, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await UpsertEditionAsync(edition, UpsertEditionByIsbnSql, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "editions_pkey")
        {
            // The id is stored under another ISBN and no edition has this one: the edition moves to it.
            return await UpsertEditionAsync(edition, UpsertEditionByIdSql, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Edition> UpsertEditionAsync(Edition edition, string sql, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(sql, cancellationToken).ConfigureAwait(false);
        var p = command.Parameters;
        p.AddWithValue("id", edition.Id);
        p.Add(Nullable("isbn", NpgsqlDbType.Text, edition.Isbn13));
        p.AddWithValue("title", edition.Title);
        p.Add(new NpgsqlParameter("authors", NpgsqlDbType.Jsonb) { Value = StoreJson.Strings(edition.Authors) });
        p.AddWithValue("language", edition.Language);
        p.Add(Nullable("publisher", NpgsqlDbType.Text, edition.Publisher));
        p.Add(Nullable("year", NpgsqlDbType.Integer, edition.PublishYear));
        p.Add(Nullable("pages", NpgsqlDbType.Integer, edition.PageCount));
        p.Add(Nullable("cover", NpgsqlDbType.Text, edition.CoverUrl?.OriginalString));
        p.Add(Nullable("description", NpgsqlDbType.Text, edition.Description));
        p.Add(new NpgsqlParameter("subjects", NpgsqlDbType.Jsonb) { Value = StoreJson.Strings(edition.Subjects) });
        p.Add(new NpgsqlParameter("toc", NpgsqlDbType.Jsonb) { Value = StoreJson.Toc(edition.TableOfContents) });
        p.AddWithValue("source", edition.Source.ToString());
        p.Add(new NpgsqlParameter("document", NpgsqlDbType.Jsonb) { Value = (object?)StoreJson.Document(edition.Document) ?? DBNull.Value });
        var id = (Guid)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return id == edition.Id ? edition : edition with { Id = id };
    }

    /// <inheritdoc/>
    public async Task<Edition?> GetEditionAsync(Guid editionId, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT " + EditionColumns + " FROM editions WHERE id = @id", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", editionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEdition(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Edition>> GetEditionsAsync(IReadOnlyCollection<Guid> editionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(editionIds);
        await using var command = await CommandAsync("SELECT " + EditionColumns + " FROM editions WHERE id = ANY(@ids)", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("ids", editionIds.Distinct().ToArray());
        var editions = new List<Edition>(editionIds.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            editions.Add(ReadEdition(reader));
        }

        return editions;
    }

    /// <inheritdoc/>
    public async Task<Edition?> FindEditionByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT " + EditionColumns + " FROM editions WHERE isbn13 = @isbn", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("isbn", isbn.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEdition(reader) : null;
    }

    /// <inheritdoc/>
    public async Task CreateAudioBookAsync(AudioBook audioBook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioBook);
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One statement: a second audiobook for the edition in the same mode (from any node) hits the unique
        // (edition_id, mode) and inserts nothing; a missing edition fails the foreign key.
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO audiobooks (" + AudioBookColumns + ") VALUES " +
            "(@id, @edition, @status, @version, @pending, @voice, @duration, @error, @llmIn, @llmOut, @tts, @created, @updated, @mode, @grounding, @words, @package) " +
            "ON CONFLICT (edition_id, mode) DO NOTHING", connection))
        {
            BindAudioBook(insert.Parameters, audioBook);
            try
            {
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                throw new EditionNotFoundException(audioBook.EditionId);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new ArgumentException($"An audiobook with id {audioBook.Id} already exists.", nameof(audioBook), ex);
            }
        }

        await using var existing = new NpgsqlCommand("SELECT id FROM audiobooks WHERE edition_id = @edition AND mode = @mode", connection);
        existing.Parameters.AddWithValue("edition", audioBook.EditionId);
        existing.Parameters.AddWithValue("mode", audioBook.Mode.ToString());
        var existingId = (Guid)(await existing.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        throw new AudioBookExistsException(audioBook.EditionId, existingId);
    }

    /// <inheritdoc/>
    public async Task<AudioBook?> GetAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT " + AudioBookColumns + " FROM audiobooks WHERE id = @id", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", audioBookId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAudioBook(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<AudioBook?> FindAudioBookByEditionAsync(Guid editionId, AudioBookMode mode, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT " + AudioBookColumns + " FROM audiobooks WHERE edition_id = @edition AND mode = @mode", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("edition", editionId);
        command.Parameters.AddWithValue("mode", mode.ToString());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAudioBook(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<AudioBookPage> ListAudioBooksAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        await using var command = await CommandAsync(
            "SELECT " + AudioBookColumns + ", COUNT(*) OVER () FROM audiobooks ORDER BY created_at DESC, id DESC LIMIT @take OFFSET @skip",
            cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("take", take);
        command.Parameters.AddWithValue("skip", skip);
        var items = new List<AudioBook>();
        long total = -1;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(ReadAudioBook(reader));
                total = reader.GetInt64(17);
            }
        }

        if (total < 0)
        {
            // The page is empty (past the end, or take = 0): count separately.
            await using var count = await CommandAsync("SELECT COUNT(*) FROM audiobooks", cancellationToken).ConfigureAwait(false);
            total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        return new AudioBookPage(items, total);
    }

    /// <inheritdoc/>
    public async Task UpdateAudioBookAsync(AudioBook audioBook, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioBook);
        var updated = await InLeaseTransactionAsync(lease, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(UpdateAudioBookSql, connection, transaction);
            BindAudioBook(command.Parameters, audioBook);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            throw new AudioBookNotFoundException(audioBook.Id);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Chapter>> GetChaptersAsync(Guid audioBookId, int version, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT " + ChapterColumns + " FROM chapters WHERE audiobook_id = @book AND version = @version ORDER BY number", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("book", audioBookId);
        command.Parameters.AddWithValue("version", version);
        var chapters = new List<Chapter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            chapters.Add(ReadChapter(reader));
        }

        return chapters;
    }

    /// <inheritdoc/>
    public async Task SaveChaptersAsync(IReadOnlyList<Chapter> chapters, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chapters);
        await InLeaseTransactionAsync(lease, async (connection, transaction) =>
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var chapter in chapters)
            {
                var command = new NpgsqlBatchCommand(SaveChapterSql);
                var p = command.Parameters;
                p.AddWithValue("book", chapter.AudioBookId);
                p.AddWithValue("version", chapter.Version);
                p.AddWithValue("number", chapter.Number);
                p.AddWithValue("title", chapter.Title);
                p.AddWithValue("status", chapter.Status.ToString());
                p.Add(Nullable("summary", NpgsqlDbType.Text, chapter.Summary));
                p.Add(Nullable("words", NpgsqlDbType.Integer, chapter.WordCount));
                p.Add(Nullable("key", NpgsqlDbType.Text, chapter.AudioKey));
                p.Add(Nullable("size", NpgsqlDbType.Bigint, chapter.AudioSizeBytes));
                p.Add(Nullable("duration", NpgsqlDbType.Double, chapter.DurationSeconds));
                p.Add(Nullable("error", NpgsqlDbType.Text, chapter.ErrorMessage));
                p.AddWithValue("llmIn", chapter.Usage.Llm.InputTokens);
                p.AddWithValue("llmOut", chapter.Usage.Llm.OutputTokens);
                p.AddWithValue("tts", chapter.Usage.TtsCharacters);
                p.AddWithValue("updated", chapter.UpdatedAt.ToUniversalTime());
                batch.BatchCommands.Add(command);
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return chapters.Count;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<int> DeleteChaptersAsync(Guid audioBookId, int version, JobLease? lease = null, CancellationToken cancellationToken = default)
        => InLeaseTransactionAsync(lease, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM chapters WHERE audiobook_id = @book AND version = @version", connection, transaction);
            command.Parameters.AddWithValue("book", audioBookId);
            command.Parameters.AddWithValue("version", version);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<Guid?> GetAudioBookIdForJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT audiobook_id FROM audiobook_jobs WHERE job_id = @job", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("job", jobId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid id ? id : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Guid>> GetJobIdsForAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT job_id FROM audiobook_jobs WHERE audiobook_id = @book ORDER BY seq", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("book", audioBookId);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction that first checks <paramref name="lease"/>, when there is one.</summary>
    private async Task<int> InLeaseTransactionAsync(JobLease? lease, Func<NpgsqlConnection, NpgsqlTransaction, Task<int>> work, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (lease is not null)
        {
            await CheckLeaseAsync(connection, transaction, lease, cancellationToken).ConfigureAwait(false);
        }

        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static void BindAudioBook(NpgsqlParameterCollection p, AudioBook book)
    {
        p.AddWithValue("id", book.Id);
        p.AddWithValue("edition", book.EditionId);
        p.AddWithValue("status", book.Status.ToString());
        p.AddWithValue("version", book.Version);
        p.Add(Nullable("pending", NpgsqlDbType.Integer, book.PendingVersion));
        p.AddWithValue("voice", book.Voice);
        p.AddWithValue("duration", book.TotalDurationSeconds);
        p.Add(Nullable("error", NpgsqlDbType.Text, book.ErrorMessage));
        p.AddWithValue("llmIn", book.Usage.Llm.InputTokens);
        p.AddWithValue("llmOut", book.Usage.Llm.OutputTokens);
        p.AddWithValue("tts", book.Usage.TtsCharacters);
        p.AddWithValue("created", book.CreatedAt.ToUniversalTime());
        p.AddWithValue("updated", book.UpdatedAt.ToUniversalTime());
        p.AddWithValue("mode", book.Mode.ToString());
        p.AddWithValue("grounding", book.Grounding.ToString());
        p.Add(Nullable("words", NpgsqlDbType.Integer, book.SummaryWords));
        p.Add(Nullable("package", NpgsqlDbType.Jsonb, StoreJson.Package(book.Package)));
    }

    private static Edition ReadEdition(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        Isbn13 = Text(r, 1),
        Title = r.GetString(2),
        Authors = StoreJson.ReadStrings(r.GetString(3)),
        Language = r.GetString(4),
        Publisher = Text(r, 5),
        PublishYear = r.IsDBNull(6) ? null : r.GetInt32(6),
        PageCount = r.IsDBNull(7) ? null : r.GetInt32(7),
        CoverUrl = r.IsDBNull(8) ? null : new Uri(r.GetString(8), UriKind.RelativeOrAbsolute),
        Description = Text(r, 9),
        Subjects = StoreJson.ReadStrings(r.GetString(10)),
        TableOfContents = StoreJson.ReadToc(r.GetString(11)),
        Source = Enum.Parse<EditionSource>(r.GetString(12)),
        Document = r.IsDBNull(13) ? null : StoreJson.ReadDocument(r.GetString(13)),
    };

    private static AudioBook ReadAudioBook(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        EditionId = r.GetGuid(1),
        Status = Enum.Parse<AudioBookStatus>(r.GetString(2)),
        Version = r.GetInt32(3),
        PendingVersion = r.IsDBNull(4) ? null : r.GetInt32(4),
        Voice = r.GetString(5),
        TotalDurationSeconds = r.GetDouble(6),
        ErrorMessage = Text(r, 7),
        Usage = new UsageTotals(new LlmUsage(r.GetInt64(8), r.GetInt64(9)), r.GetInt64(10)),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(11),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(12),
        Mode = Enum.Parse<AudioBookMode>(r.GetString(13)),
        Grounding = Enum.Parse<AudioBookGrounding>(r.GetString(14)),
        SummaryWords = r.IsDBNull(15) ? null : r.GetInt32(15),
        Package = r.IsDBNull(16) ? null : StoreJson.ReadPackage(r.GetString(16)),
    };

    private static Chapter ReadChapter(NpgsqlDataReader r) => new()
    {
        AudioBookId = r.GetGuid(0),
        Version = r.GetInt32(1),
        Number = r.GetInt32(2),
        Title = r.GetString(3),
        Status = Enum.Parse<ChapterStatus>(r.GetString(4)),
        Summary = Text(r, 5),
        WordCount = r.IsDBNull(6) ? null : r.GetInt32(6),
        AudioKey = Text(r, 7),
        AudioSizeBytes = r.IsDBNull(8) ? null : r.GetInt64(8),
        DurationSeconds = r.IsDBNull(9) ? null : r.GetDouble(9),
        ErrorMessage = Text(r, 10),
        Usage = new UsageTotals(new LlmUsage(r.GetInt64(11), r.GetInt64(12)), r.GetInt64(13)),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(14),
    };

    // An audiobook's jobs, their links and its chapters, before the audiobook itself.
    private static readonly string[] DeleteAudioBookRowsSql =
    [
        "DELETE FROM jobs WHERE id IN (SELECT job_id FROM audiobook_jobs WHERE audiobook_id = @book)",
        "DELETE FROM audiobook_jobs WHERE audiobook_id = @book",
        "DELETE FROM chapters WHERE audiobook_id = @book",
    ];

    /// <inheritdoc/>
    public async Task<bool> DeleteAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
    {
        var deleted = false;
        await InLeaseTransactionAsync(null, async (connection, transaction) =>
        {
            // The enqueuers' lock for this audiobook: no job is linked between the check and the deletes.
            await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@book::text, 0))", connection, transaction))
            {
                gate.Parameters.AddWithValue("book", audioBookId);
                await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var check = new NpgsqlCommand(
                "SELECT l.job_id FROM audiobook_jobs l JOIN jobs j ON j.id = l.job_id " +
                "WHERE l.audiobook_id = @book AND j.status IN ('Pending', 'Processing') ORDER BY l.seq LIMIT 1 FOR UPDATE OF j", connection, transaction))
            {
                check.Parameters.AddWithValue("book", audioBookId);
                if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid active)
                {
                    throw new JobInProgressException(audioBookId, active);
                }
            }

            foreach (var sql in DeleteAudioBookRowsSql)
            {
                await using var delete = new NpgsqlCommand(sql, connection, transaction);
                delete.Parameters.AddWithValue("book", audioBookId);
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var book = new NpgsqlCommand("DELETE FROM audiobooks WHERE id = @book", connection, transaction);
            book.Parameters.AddWithValue("book", audioBookId);
            deleted = await book.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}
