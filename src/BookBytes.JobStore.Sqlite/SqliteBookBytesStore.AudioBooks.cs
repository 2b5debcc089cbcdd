using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.JobStore.Internal;
using BookBytes.JobStore.Sqlite.Internal;
using BookBytes.Jobs;
using BookBytes.Llm;
using Microsoft.Data.Sqlite;

namespace BookBytes.JobStore.Sqlite;

/// <content>The <see cref="IAudioBookStore"/> half.</content>
public sealed partial class SqliteBookBytesStore
{
    private const string EditionColumns =
        "id, isbn13, title, authors, language, publisher, publish_year, page_count, cover_url, description, subjects, table_of_contents, source, document";

    private const string AudioBookColumns =
        "id, edition_id, status, version, pending_version, voice, total_duration_seconds, error_message, " +
        "llm_input_tokens, llm_output_tokens, tts_characters, created_at, updated_at, mode, grounding, summary_words, package";

    private const string ChapterColumns =
        "audiobook_id, version, number, title, status, summary, word_count, audio_key, audio_size_bytes, duration_seconds, " +
        "error_message, llm_input_tokens, llm_output_tokens, tts_characters, updated_at";

    private const string EditionValues =
        "(@id, @isbn, @title, @authors, @language, @publisher, @year, @pages, @cover, @description, @subjects, @toc, @source, @document)";

    private const string EditionUpdate =
        "title = excluded.title, authors = excluded.authors, language = excluded.language, publisher = excluded.publisher, " +
        "publish_year = excluded.publish_year, page_count = excluded.page_count, cover_url = excluded.cover_url, " +
        "description = excluded.description, subjects = excluded.subjects, table_of_contents = excluded.table_of_contents, " +
        "source = excluded.source, document = excluded.document";

    // An ISBN already stored keeps its first id; an edition without ISBN is keyed by its id.
    private const string UpsertEditionSql =
        "INSERT INTO editions (" + EditionColumns + ") VALUES " + EditionValues + " " +
        "ON CONFLICT (isbn13) DO UPDATE SET " + EditionUpdate + " " +
        "ON CONFLICT (id) DO UPDATE SET isbn13 = excluded.isbn13, " + EditionUpdate + " " +
        "RETURNING id";

    private const string SaveChapterSql =
        "INSERT INTO chapters (" + ChapterColumns + ") VALUES " +
        "(@book, @version, @number, @title, @status, @summary, @words, @key, @size, @duration, @error, @llmIn, @llmOut, @tts, @updated) " +
        "ON CONFLICT (audiobook_id, version, number) DO UPDATE SET title = excluded.title, status = excluded.status, " +
        "summary = excluded.summary, word_count = excluded.word_count, audio_key = excluded.audio_key, " +
        "audio_size_bytes = excluded.audio_size_bytes, duration_seconds = excluded.duration_seconds, " +
        "error_message = excluded.error_message, llm_input_tokens = excluded.llm_input_tokens, " +
        "llm_output_tokens = excluded.llm_output_tokens, tts_characters = excluded.tts_characters, updated_at = excluded.updated_at";

    /// <inheritdoc/>
    public async Task<Edition> UpsertEditionAsync(Edition edition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edition);
        var id = await WriteAsync(c =>
        {
            var command = c.Command(UpsertEditionSql);
            var p = command.Parameters;
            p.AddWithValue("@id", Id(edition.Id));
            p.AddWithValue("@isbn", (object?)edition.Isbn13 ?? DBNull.Value);
            p.AddWithValue("@title", edition.Title);
            p.AddWithValue("@authors", StoreJson.Strings(edition.Authors));
            p.AddWithValue("@language", edition.Language);
            p.AddWithValue("@publisher", (object?)edition.Publisher ?? DBNull.Value);
            p.AddWithValue("@year", (object?)edition.PublishYear ?? DBNull.Value);
            p.AddWithValue("@pages", (object?)edition.PageCount ?? DBNull.Value);
            p.AddWithValue("@cover", (object?)edition.CoverUrl?.OriginalString ?? DBNull.Value);
            p.AddWithValue("@description", (object?)edition.Description ?? DBNull.Value);
            p.AddWithValue("@subjects", StoreJson.Strings(edition.Subjects));
            p.AddWithValue("@toc", StoreJson.Toc(edition.TableOfContents));
            p.AddWithValue("@source", edition.Source.ToString());
            p.AddWithValue("@document", (object?)StoreJson.Document(edition.Document) ?? DBNull.Value);
            return Guid.Parse((string)command.ExecuteScalar()!);
        }, cancellationToken).ConfigureAwait(false);
        return id == edition.Id ? edition : edition with { Id = id };
    }

    /// <inheritdoc/>
    public async Task<Edition?> GetEditionAsync(Guid editionId, CancellationToken cancellationToken = default)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command("SELECT " + EditionColumns + " FROM editions WHERE id = @id");
        command.Parameters.AddWithValue("@id", Id(editionId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadEdition(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Edition>> GetEditionsAsync(IReadOnlyCollection<Guid> editionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(editionIds);
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        // One parameter for the whole set: a JSON array of ids, unpacked by SQLite itself.
        var command = db.Command("SELECT " + EditionColumns + " FROM editions WHERE id IN (SELECT value FROM json_each(@ids))");
        command.Parameters.AddWithValue("@ids", StoreJson.Strings([.. editionIds.Select(Id).Distinct()]));
        var editions = new List<Edition>(editionIds.Count);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            editions.Add(ReadEdition(reader));
        }

        return editions;
    }

    /// <inheritdoc/>
    public async Task<Edition?> FindEditionByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command("SELECT " + EditionColumns + " FROM editions WHERE isbn13 = @isbn");
        command.Parameters.AddWithValue("@isbn", isbn.Value);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadEdition(reader) : null;
    }

    /// <inheritdoc/>
    public async Task CreateAudioBookAsync(AudioBook audioBook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioBook);
        await WriteAsync(c =>
        {
            var edition = c.Command("SELECT 1 FROM editions WHERE id = @id");
            edition.Parameters.AddWithValue("@id", Id(audioBook.EditionId));
            if (edition.ExecuteScalar() is null)
            {
                throw new EditionNotFoundException(audioBook.EditionId);
            }

            var existing = c.Command("SELECT id FROM audiobooks WHERE edition_id = @edition AND mode = @mode");
            existing.Parameters.AddWithValue("@edition", Id(audioBook.EditionId));
            existing.Parameters.AddWithValue("@mode", audioBook.Mode.ToString());
            if (existing.ExecuteScalar() is string existingId)
            {
                throw new AudioBookExistsException(audioBook.EditionId, Guid.Parse(existingId));
            }

            var insert = c.Command("INSERT INTO audiobooks (" + AudioBookColumns + ") VALUES " +
                "(@id, @edition, @status, @version, @pending, @voice, @duration, @error, @llmIn, @llmOut, @tts, @created, @updated, @mode, @grounding, @words, @package)");
            BindAudioBook(insert.Parameters, audioBook);
            try
            {
                return insert.ExecuteNonQuery();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new ArgumentException($"An audiobook with id {audioBook.Id} already exists.", nameof(audioBook), ex);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<AudioBook?> GetAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command("SELECT " + AudioBookColumns + " FROM audiobooks WHERE id = @id");
        command.Parameters.AddWithValue("@id", Id(audioBookId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadAudioBook(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<AudioBook?> FindAudioBookByEditionAsync(Guid editionId, AudioBookMode mode, CancellationToken cancellationToken = default)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command("SELECT " + AudioBookColumns + " FROM audiobooks WHERE edition_id = @edition AND mode = @mode");
        command.Parameters.AddWithValue("@edition", Id(editionId));
        command.Parameters.AddWithValue("@mode", mode.ToString());
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadAudioBook(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<AudioBookPage> ListAudioBooksAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);

        // A deferred (read) transaction: the page and the total come from one snapshot without taking the write lock.
        db.Command("BEGIN").ExecuteNonQuery();
        try
        {
            var command = db.Command("SELECT " + AudioBookColumns + " FROM audiobooks ORDER BY created_at DESC, id DESC LIMIT @take OFFSET @skip");
            command.Parameters.AddWithValue("@take", take);
            command.Parameters.AddWithValue("@skip", skip);
            var items = new List<AudioBook>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    items.Add(ReadAudioBook(reader));
                }
            }

            var total = (long)db.Command("SELECT COUNT(*) FROM audiobooks").ExecuteScalar()!;
            return new AudioBookPage(items, total);
        }
        finally
        {
            db.Connection.Rollback();
        }
    }

    /// <inheritdoc/>
    public async Task UpdateAudioBookAsync(AudioBook audioBook, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioBook);
        await WriteAsync(c =>
        {
            if (lease is not null)
            {
                CheckLease(c, lease);
            }

            // What an audiobook is made of (edition, mode, grounding, words) and when it was created are fixed at creation.
            var command = c.Command("UPDATE audiobooks SET status = @status, version = @version, " +
                "pending_version = @pending, voice = @voice, total_duration_seconds = @duration, error_message = @error, " +
                "llm_input_tokens = @llmIn, llm_output_tokens = @llmOut, tts_characters = @tts, updated_at = @updated, package = @package " +
                "WHERE id = @id");
            BindAudioBook(command.Parameters, audioBook);
            return command.ExecuteNonQuery() == 0 ? throw new AudioBookNotFoundException(audioBook.Id) : 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Chapter>> GetChaptersAsync(Guid audioBookId, int version, CancellationToken cancellationToken = default)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command("SELECT " + ChapterColumns + " FROM chapters WHERE audiobook_id = @book AND version = @version ORDER BY number");
        command.Parameters.AddWithValue("@book", Id(audioBookId));
        command.Parameters.AddWithValue("@version", version);
        var chapters = new List<Chapter>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            chapters.Add(ReadChapter(reader));
        }

        return chapters;
    }

    /// <inheritdoc/>
    public async Task SaveChaptersAsync(IReadOnlyList<Chapter> chapters, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chapters);
        await WriteAsync(c =>
        {
            if (lease is not null)
            {
                CheckLease(c, lease);
            }

            foreach (var chapter in chapters)
            {
                var command = c.Command(SaveChapterSql);
                var p = command.Parameters;
                p.AddWithValue("@book", Id(chapter.AudioBookId));
                p.AddWithValue("@version", chapter.Version);
                p.AddWithValue("@number", chapter.Number);
                p.AddWithValue("@title", chapter.Title);
                p.AddWithValue("@status", chapter.Status.ToString());
                p.AddWithValue("@summary", (object?)chapter.Summary ?? DBNull.Value);
                p.AddWithValue("@words", (object?)chapter.WordCount ?? DBNull.Value);
                p.AddWithValue("@key", (object?)chapter.AudioKey ?? DBNull.Value);
                p.AddWithValue("@size", (object?)chapter.AudioSizeBytes ?? DBNull.Value);
                p.AddWithValue("@duration", (object?)chapter.DurationSeconds ?? DBNull.Value);
                p.AddWithValue("@error", (object?)chapter.ErrorMessage ?? DBNull.Value);
                p.AddWithValue("@llmIn", chapter.Usage.Llm.InputTokens);
                p.AddWithValue("@llmOut", chapter.Usage.Llm.OutputTokens);
                p.AddWithValue("@tts", chapter.Usage.TtsCharacters);
                p.AddWithValue("@updated", chapter.UpdatedAt.UtcTicks);
                command.ExecuteNonQuery();
            }

            return chapters.Count;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<int> DeleteChaptersAsync(Guid audioBookId, int version, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        return await WriteAsync(c =>
        {
            if (lease is not null)
            {
                CheckLease(c, lease);
            }

            var command = c.Command("DELETE FROM chapters WHERE audiobook_id = @book AND version = @version");
            command.Parameters.AddWithValue("@book", Id(audioBookId));
            command.Parameters.AddWithValue("@version", version);
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Guid?> GetAudioBookIdForJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command("SELECT audiobook_id FROM audiobook_jobs WHERE job_id = @job");
        command.Parameters.AddWithValue("@job", Id(jobId));
        return command.ExecuteScalar() is string id ? Guid.Parse(id) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Guid>> GetJobIdsForAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command("SELECT job_id FROM audiobook_jobs WHERE audiobook_id = @book ORDER BY seq");
        command.Parameters.AddWithValue("@book", Id(audioBookId));
        var ids = new List<Guid>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    private static void BindAudioBook(SqliteParameterCollection p, AudioBook book)
    {
        p.AddWithValue("@id", Id(book.Id));
        p.AddWithValue("@edition", Id(book.EditionId));
        p.AddWithValue("@status", book.Status.ToString());
        p.AddWithValue("@version", book.Version);
        p.AddWithValue("@pending", (object?)book.PendingVersion ?? DBNull.Value);
        p.AddWithValue("@voice", book.Voice);
        p.AddWithValue("@duration", book.TotalDurationSeconds);
        p.AddWithValue("@error", (object?)book.ErrorMessage ?? DBNull.Value);
        p.AddWithValue("@llmIn", book.Usage.Llm.InputTokens);
        p.AddWithValue("@llmOut", book.Usage.Llm.OutputTokens);
        p.AddWithValue("@tts", book.Usage.TtsCharacters);
        p.AddWithValue("@created", book.CreatedAt.UtcTicks);
        p.AddWithValue("@updated", book.UpdatedAt.UtcTicks);
        p.AddWithValue("@mode", book.Mode.ToString());
        p.AddWithValue("@grounding", book.Grounding.ToString());
        p.AddWithValue("@words", (object?)book.SummaryWords ?? DBNull.Value);
        p.AddWithValue("@package", (object?)StoreJson.Package(book.Package) ?? DBNull.Value);
    }

    private static Edition ReadEdition(SqliteDataReader r) => new()
    {
        Id = Guid.Parse(r.GetString(0)),
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

    private static AudioBook ReadAudioBook(SqliteDataReader r) => new()
    {
        Id = Guid.Parse(r.GetString(0)),
        EditionId = Guid.Parse(r.GetString(1)),
        Status = Enum.Parse<AudioBookStatus>(r.GetString(2)),
        Version = r.GetInt32(3),
        PendingVersion = r.IsDBNull(4) ? null : r.GetInt32(4),
        Voice = r.GetString(5),
        TotalDurationSeconds = r.GetDouble(6),
        ErrorMessage = Text(r, 7),
        Usage = new UsageTotals(new LlmUsage(r.GetInt64(8), r.GetInt64(9)), r.GetInt64(10)),
        CreatedAt = Time(r.GetInt64(11)),
        UpdatedAt = Time(r.GetInt64(12)),
        Mode = Enum.Parse<AudioBookMode>(r.GetString(13)),
        Grounding = Enum.Parse<AudioBookGrounding>(r.GetString(14)),
        SummaryWords = r.IsDBNull(15) ? null : r.GetInt32(15),
        Package = r.IsDBNull(16) ? null : StoreJson.ReadPackage(r.GetString(16)),
    };

    private static Chapter ReadChapter(SqliteDataReader r) => new()
    {
        AudioBookId = Guid.Parse(r.GetString(0)),
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
        UpdatedAt = Time(r.GetInt64(14)),
    };
    // An audiobook's jobs, their links and its chapters, before the audiobook itself.
    private static readonly string[] DeleteAudioBookRowsSql =
    [
        "DELETE FROM jobs WHERE id IN (SELECT job_id FROM audiobook_jobs WHERE audiobook_id = @book)",
        "DELETE FROM audiobook_jobs WHERE audiobook_id = @book",
        "DELETE FROM chapters WHERE audiobook_id = @book",
    ];

    /// <inheritdoc/>
    public Task<bool> DeleteAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
        => WriteAsync(c =>
        {
            // BEGIN IMMEDIATE holds the write lock: no job can be linked or claimed between the check and the deletes.
            var check = c.Command(
                "SELECT l.job_id FROM audiobook_jobs l JOIN jobs j ON j.id = l.job_id " +
                "WHERE l.audiobook_id = @book AND j.status IN ('Pending', 'Processing') ORDER BY l.seq LIMIT 1");
            check.Parameters.AddWithValue("@book", Id(audioBookId));
            if (check.ExecuteScalar() is string active)
            {
                throw new JobInProgressException(audioBookId, Guid.Parse(active));
            }

            foreach (var sql in DeleteAudioBookRowsSql)
            {
                var delete = c.Command(sql);
                delete.Parameters.AddWithValue("@book", Id(audioBookId));
                delete.ExecuteNonQuery();
            }

            var book = c.Command("DELETE FROM audiobooks WHERE id = @book");
            book.Parameters.AddWithValue("@book", Id(audioBookId));
            return book.ExecuteNonQuery() > 0;
        }, cancellationToken);
}
