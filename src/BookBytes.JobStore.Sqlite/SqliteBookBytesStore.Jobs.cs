using BookBytes.JobStore.Sqlite.Internal;
using BookBytes.Jobs;
using BookBytes.Llm;
using Microsoft.Data.Sqlite;

namespace BookBytes.JobStore.Sqlite;

/// <content>The <see cref="IJobStore"/> half.</content>
public sealed partial class SqliteBookBytesStore
{
    private const string JobColumns =
        "id, type, status, payload, progress, current_step, attempt, max_attempts, error_code, error_message, not_before, " +
        "lease_owner, lease_expires_at, llm_input_tokens, llm_output_tokens, tts_characters, created_at, updated_at, started_at, completed_at, rescues";

    private const string InsertJobSql =
        "INSERT INTO jobs (id, type, status, payload, max_attempts, not_before, created_at, updated_at) " +
        "VALUES (@id, @type, 'Pending', @payload, @max, @notBefore, @now, @now)";

    // Expired leases first (their worker died), then the oldest due pending job. INDEXED BY pins the
    // partial indexes: without statistics the planner picks the status index and sorts every due row.
    private const string ClaimSql =
        // A processing job (its lease expired: its worker died) is rescued, not given a new attempt.
        "UPDATE jobs SET status = 'Processing', attempt = CASE WHEN status = 'Processing' THEN attempt ELSE attempt + 1 END, " +
        "rescues = CASE WHEN status = 'Processing' THEN rescues + 1 ELSE rescues END, " +
        "lease_owner = @worker, lease_token = @token, " +
        "lease_expires_at = @expires, started_at = COALESCE(started_at, @now), updated_at = @now " +
        "WHERE id = COALESCE(" +
        "(SELECT id FROM jobs INDEXED BY ix_jobs_processing_lease WHERE status = 'Processing' AND lease_expires_at <= @now ORDER BY lease_expires_at LIMIT 1), " +
        "(SELECT id FROM jobs INDEXED BY ix_jobs_pending_due WHERE status = 'Pending' AND not_before <= @now ORDER BY not_before, created_at LIMIT 1)) " +
        "RETURNING " + JobColumns;

    private const string Fence = " WHERE id = @id AND status = 'Processing' AND lease_token = @token";

    private const string HeartbeatSql = "UPDATE jobs SET lease_expires_at = @expires, updated_at = @now" + Fence;

    private const string ProgressSql =
        "UPDATE jobs SET progress = MAX(progress, @progress), current_step = @step, " +
        "llm_input_tokens = COALESCE(@llmIn, llm_input_tokens), llm_output_tokens = COALESCE(@llmOut, llm_output_tokens), " +
        "tts_characters = COALESCE(@tts, tts_characters), updated_at = @now" + Fence;

    private const string EndLease = "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = @now";

    private const string CompleteSql =
        "UPDATE jobs SET status = 'Completed', progress = 100, error_code = NULL, error_message = NULL, completed_at = @now, " + EndLease + Fence;

    private const string FailSql =
        "UPDATE jobs SET status = 'Failed', error_code = @code, error_message = @message, completed_at = @now, " + EndLease + Fence;

    private const string RetrySql =
        "UPDATE jobs SET status = 'Pending', error_code = @code, error_message = @message, not_before = @notBefore, " + EndLease + Fence;

    private const string ReleaseSql =
        "UPDATE jobs SET status = 'Pending', attempt = MAX(0, attempt - 1), not_before = @now, " + EndLease + Fence;

    /// <inheritdoc/>
    public async Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        var stored = Prepare(job);
        await WriteAsync(c => Insert(c, stored), cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <inheritdoc/>
    public Task<Job> EnqueueLinkedJobAsync(Guid audioBookId, NewJob job, CancellationToken cancellationToken = default)
        => EnqueueLinkedAsync(audioBookId, job, preceding: null, cancellationToken);

    /// <inheritdoc/>
    public Task<Job> EnqueueFollowUpJobAsync(Guid audioBookId, NewJob job, Guid precedingJobId, CancellationToken cancellationToken = default)
        => EnqueueLinkedAsync(audioBookId, job, precedingJobId, cancellationToken);

    private async Task<Job> EnqueueLinkedAsync(Guid audioBookId, NewJob job, Guid? preceding, CancellationToken cancellationToken)
    {
        var stored = Prepare(job);
        await WriteAsync(c =>
        {
            // BEGIN IMMEDIATE holds the write lock, so no other writer can link or claim a job between check and insert.
            var check = c.Command(
                "SELECT l.job_id FROM audiobook_jobs l JOIN jobs j ON j.id = l.job_id " +
                "WHERE l.audiobook_id = @book AND j.status IN ('Pending', 'Processing') AND l.job_id <> @preceding " +
                "AND NOT (j.type = 'AudiobookPackaging' AND j.status = 'Pending') ORDER BY l.seq LIMIT 1");
            check.Parameters.AddWithValue("@book", Id(audioBookId));
            check.Parameters.AddWithValue("@preceding", Id(preceding ?? Guid.Empty));
            if (check.ExecuteScalar() is string active)
            {
                throw new JobInProgressException(audioBookId, Guid.Parse(active));
            }

            // A packaging job not yet claimed gives way to the newer job, which packages the book again when it ends.
            var supersede = c.Command(
                "UPDATE jobs SET status = 'Failed', error_code = '" + ErrorCodes.JobSuperseded + "', " +
                "error_message = 'Superseded before it started by job ' || @job || ', a newer job for the audiobook.', completed_at = @now, updated_at = @now " +
                "WHERE type = 'AudiobookPackaging' AND status = 'Pending' AND id <> @preceding " +
                "AND id IN (SELECT job_id FROM audiobook_jobs WHERE audiobook_id = @book)");
            supersede.Parameters.AddWithValue("@job", stored.Id.ToString());
            supersede.Parameters.AddWithValue("@now", stored.CreatedAt.UtcTicks);
            supersede.Parameters.AddWithValue("@preceding", Id(preceding ?? Guid.Empty));
            supersede.Parameters.AddWithValue("@book", Id(audioBookId));
            supersede.ExecuteNonQuery();

            Insert(c, stored);
            var link = c.Command("INSERT INTO audiobook_jobs (job_id, audiobook_id) VALUES (@job, @book)");
            link.Parameters.AddWithValue("@job", Id(stored.Id));
            link.Parameters.AddWithValue("@book", Id(audioBookId));
            return link.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private Job Prepare(NewJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.ToPendingJob(_time.GetUtcNow());
    }

    private static int Insert(PooledConnection c, Job job)
    {
        var command = c.Command(InsertJobSql);
        command.Parameters.AddWithValue("@id", Id(job.Id));
        command.Parameters.AddWithValue("@type", job.Type.ToString());
        command.Parameters.AddWithValue("@payload", job.Payload);
        command.Parameters.AddWithValue("@max", job.MaxAttempts);
        command.Parameters.AddWithValue("@notBefore", job.NotBefore.UtcTicks);
        command.Parameters.AddWithValue("@now", job.CreatedAt.UtcTicks);
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new ArgumentException($"A job with id {job.Id} already exists.", nameof(job), ex);
        }
    }

    /// <inheritdoc/>
    public async Task<ClaimedJob?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);

        var lease = new JobLease(Guid.Empty, workerId, Guid.NewGuid(), default);
        var job = await WriteAsync(c =>
        {
            // Read once the write lock is held: a wait for it must not shorten the lease or judge expiry early.
            var now = _time.GetUtcNow();
            lease = lease with { ExpiresAt = now + leaseDuration };
            var command = c.Command(ClaimSql);
            command.Parameters.AddWithValue("@worker", workerId);
            command.Parameters.AddWithValue("@token", Id(lease.Token));
            command.Parameters.AddWithValue("@expires", lease.ExpiresAt.UtcTicks);
            command.Parameters.AddWithValue("@now", now.UtcTicks);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadJob(reader) : null;
        }, cancellationToken).ConfigureAwait(false);
        return job is null ? null : new ClaimedJob(job, lease with { JobId = job.Id });
    }

    /// <inheritdoc/>
    public async Task<JobLease> HeartbeatAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        var now = await FencedAsync(lease, HeartbeatSql, (p, now) => p.AddWithValue("@expires", (now + leaseDuration).UtcTicks), cancellationToken).ConfigureAwait(false);
        return lease with { ExpiresAt = now + leaseDuration };
    }

    /// <inheritdoc/>
    public Task UpdateProgressAsync(JobLease lease, int progress, string currentStep, UsageTotals? usage = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(progress, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(progress, 100);
        return FencedAsync(lease, ProgressSql, (p, _) =>
        {
            p.AddWithValue("@progress", progress);
            p.AddWithValue("@step", (object?)currentStep ?? DBNull.Value);
            p.AddWithValue("@llmIn", usage is { } u1 ? u1.Llm.InputTokens : DBNull.Value);
            p.AddWithValue("@llmOut", usage is { } u2 ? u2.Llm.OutputTokens : DBNull.Value);
            p.AddWithValue("@tts", usage is { } u3 ? u3.TtsCharacters : DBNull.Value);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task CompleteAsync(JobLease lease, CancellationToken cancellationToken = default)
        => FencedAsync(lease, CompleteSql, static (_, _) => { }, cancellationToken);

    /// <inheritdoc/>
    public Task FailAsync(JobLease lease, JobError failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return FencedAsync(lease, FailSql, (p, _) =>
        {
            p.AddWithValue("@code", failure.Code);
            p.AddWithValue("@message", failure.Message);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task ScheduleRetryAsync(JobLease lease, JobError failure, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return FencedAsync(lease, RetrySql, (p, _) =>
        {
            p.AddWithValue("@code", failure.Code);
            p.AddWithValue("@message", failure.Message);
            p.AddWithValue("@notBefore", notBefore.UtcTicks);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task ReleaseAsync(JobLease lease, CancellationToken cancellationToken = default)
        => FencedAsync(lease, ReleaseSql, static (_, _) => { }, cancellationToken);

    /// <inheritdoc/>
    public Task<Job?> CancelAsync(Guid jobId, CancellationToken cancellationToken = default)
        => WriteAsync(c =>
        {
            // Ending the lease is what stops a worker running it: its next heartbeat or write is refused.
            var cancel = c.Command(
                "UPDATE jobs SET status = 'Cancelled', error_code = '" + ErrorCodes.JobCancelled + "', error_message = 'Cancelled on request.', " +
                "completed_at = @now, " + EndLease + " WHERE id = @id AND status IN ('Pending', 'Processing')");
            cancel.Parameters.AddWithValue("@id", Id(jobId));
            cancel.Parameters.AddWithValue("@now", _time.GetUtcNow().UtcTicks);
            cancel.ExecuteNonQuery();
            var read = c.Command("SELECT " + JobColumns + " FROM jobs WHERE id = @id");
            read.Parameters.AddWithValue("@id", Id(jobId));
            using var reader = read.ExecuteReader();
            return reader.Read() ? ReadJob(reader) : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command("SELECT " + JobColumns + " FROM jobs WHERE id = @id");
        command.Parameters.AddWithValue("@id", Id(jobId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadJob(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Job>> ListAsync(JobStatus? status = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command(status is null
            ? "SELECT " + JobColumns + " FROM jobs ORDER BY created_at, id LIMIT @limit"
            : "SELECT " + JobColumns + " FROM jobs WHERE status = @status ORDER BY created_at, id LIMIT @limit");
        command.Parameters.AddWithValue("@limit", limit);
        if (status is { } s)
        {
            command.Parameters.AddWithValue("@status", s.ToString());
        }

        var jobs = new List<Job>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            jobs.Add(ReadJob(reader));
        }

        return jobs;
    }

    /// <inheritdoc/>
    public async Task<long> CountAsync(JobStatus? status = null, CancellationToken cancellationToken = default)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Command(status is null ? "SELECT COUNT(*) FROM jobs" : "SELECT COUNT(*) FROM jobs WHERE status = @status");
        if (status is { } s)
        {
            command.Parameters.AddWithValue("@status", s.ToString());
        }

        return (long)command.ExecuteScalar()!;
    }

    /// <inheritdoc/>
    public async Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Take);
        var where = JobFilter(query);
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);

        // A deferred (read) transaction: the page and the total come from one snapshot without taking the write lock.
        db.Command("BEGIN").ExecuteNonQuery();
        try
        {
            // Newest first walks ix_jobs_status_created (with a status) or ix_jobs_created backwards; a kind alone filters that walk.
            var list = db.Command("SELECT " + JobColumns + " FROM jobs" + where + " ORDER BY created_at DESC, id DESC LIMIT @take OFFSET @skip");
            BindJobFilter(list, query);
            list.Parameters.AddWithValue("@take", query.Take);
            list.Parameters.AddWithValue("@skip", query.Skip);
            var jobs = new List<Job>();
            using (var reader = list.ExecuteReader())
            {
                while (reader.Read())
                {
                    jobs.Add(ReadJob(reader));
                }
            }

            var count = db.Command("SELECT COUNT(*) FROM jobs" + where);
            BindJobFilter(count, query);
            return new JobPage(jobs, (long)count.ExecuteScalar()!);
        }
        finally
        {
            db.Connection.Rollback();
        }
    }

    /// <inheritdoc/>
    public Task<int> DeleteFinishedJobsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        // One file, one writer at a time: the sweep needs no lock of its own. Both statements pick the same jobs (same snapshot,
        // same order) inside one BEGIN IMMEDIATE; the links go first, so a link never outlives its job.
        const string Expired =
            "SELECT id FROM jobs WHERE status IN ('Completed', 'Failed', 'Cancelled') AND completed_at < @before ORDER BY completed_at, id LIMIT @limit";
        return WriteAsync(c =>
        {
            var links = c.Command("DELETE FROM audiobook_jobs WHERE job_id IN (" + Expired + ")");
            links.Parameters.AddWithValue("@before", before.UtcTicks);
            links.Parameters.AddWithValue("@limit", limit);
            links.ExecuteNonQuery();
            var jobs = c.Command("DELETE FROM jobs WHERE id IN (" + Expired + ")");
            jobs.Parameters.AddWithValue("@before", before.UtcTicks);
            jobs.Parameters.AddWithValue("@limit", limit);
            return jobs.ExecuteNonQuery();
        }, cancellationToken);
    }

    // Constant SQL per combination of filters (values are parameters), so each keeps its own prepared statement and index.
    private static string JobFilter(JobQuery query) => (query.Status, query.Type) switch
    {
        (null, null) => string.Empty,
        (not null, null) => " WHERE status = @status",
        (null, not null) => " WHERE type = @type",
        _ => " WHERE status = @status AND type = @type",
    };

    private static void BindJobFilter(SqliteCommand command, JobQuery query)
    {
        if (query.Status is { } status)
        {
            command.Parameters.AddWithValue("@status", status.ToString());
        }

        if (query.Type is { } type)
        {
            command.Parameters.AddWithValue("@type", type.Value);
        }
    }

    private static string Id(Guid id) => id.ToString("D");

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader.GetInt64(ordinal));

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static JobStatus ParseStatus(string status) => status switch
    {
        "Pending" => JobStatus.Pending,
        "Processing" => JobStatus.Processing,
        "Completed" => JobStatus.Completed,
        "Failed" => JobStatus.Failed,
        _ => Enum.Parse<JobStatus>(status),
    };

    private static Job ReadJob(SqliteDataReader r) => new()
    {
        Id = Guid.Parse(r.GetString(0)),
        Type = new JobKind(r.GetString(1)),
        Status = ParseStatus(r.GetString(2)),
        Payload = r.GetString(3),
        Progress = r.GetInt32(4),
        CurrentStep = Text(r, 5),
        Attempt = r.GetInt32(6),
        MaxAttempts = r.GetInt32(7),
        ErrorCode = Text(r, 8),
        ErrorMessage = Text(r, 9),
        NotBefore = Time(r.GetInt64(10)),
        LeaseOwner = Text(r, 11),
        LeaseExpiresAt = Time(r, 12),
        Usage = new UsageTotals(new LlmUsage(r.GetInt64(13), r.GetInt64(14)), r.GetInt64(15)),
        CreatedAt = Time(r.GetInt64(16)),
        UpdatedAt = Time(r.GetInt64(17)),
        StartedAt = Time(r, 18),
        CompletedAt = Time(r, 19),
        Rescues = r.GetInt32(20),
    };

    private static void CheckLease(PooledConnection connection, JobLease lease)
    {
        var command = connection.Command("SELECT 1 FROM jobs" + Fence);
        command.Parameters.AddWithValue("@id", Id(lease.JobId));
        command.Parameters.AddWithValue("@token", Id(lease.Token));
        if (command.ExecuteScalar() is null)
        {
            throw new LeaseLostException(lease.JobId);
        }
    }

    /// <summary>Runs a write fenced by the lease, with the time read once the write lock is held; returns that time.</summary>
    private async Task<DateTimeOffset> FencedAsync(JobLease lease, string sql, Action<SqliteParameterCollection, DateTimeOffset> bind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = default(DateTimeOffset);
        var updated = await WriteAsync(c =>
        {
            now = _time.GetUtcNow();
            var command = c.Command(sql);
            command.Parameters.AddWithValue("@id", Id(lease.JobId));
            command.Parameters.AddWithValue("@token", Id(lease.Token));
            command.Parameters.AddWithValue("@now", now.UtcTicks);
            bind(command.Parameters, now);
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            throw new LeaseLostException(lease.JobId);
        }

        return now;
    }
}
