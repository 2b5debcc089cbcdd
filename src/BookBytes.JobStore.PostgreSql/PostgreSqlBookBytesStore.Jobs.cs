using BookBytes.Jobs;
using BookBytes.Llm;
using Npgsql;
using NpgsqlTypes;

namespace BookBytes.JobStore.PostgreSql;

/// <content>The <see cref="IJobStore"/> half.</content>
public sealed partial class PostgreSqlBookBytesStore
{
    private const string JobColumns =
        "id, type, status, payload, progress, current_step, attempt, max_attempts, error_code, error_message, not_before, " +
        "lease_owner, lease_expires_at, llm_input_tokens, llm_output_tokens, tts_characters, created_at, updated_at, started_at, completed_at, rescues";

    // The notification is sent when the transaction commits, so a listener never sees an uncommitted job.
    private const string InsertJobSql =
        "WITH inserted AS (INSERT INTO jobs (id, type, status, payload, max_attempts, not_before, created_at, updated_at) " +
        "VALUES (@id, @type, 'Pending', @payload, @max, @notBefore, @now, @now) RETURNING id) " +
        "SELECT pg_notify('" + NotificationChannel + "', id::text) FROM inserted";

    // Expired leases first (their worker died), then the oldest due pending job; rows another claimer
    // has locked are skipped, never waited for. COALESCE evaluates the second query only when needed.
    private const string ClaimSql =
        // A processing job (its lease expired: its worker died) is rescued, not given a new attempt.
        "UPDATE jobs SET status = 'Processing', attempt = CASE WHEN status = 'Processing' THEN attempt ELSE attempt + 1 END, " +
        "rescues = CASE WHEN status = 'Processing' THEN rescues + 1 ELSE rescues END, " +
        "lease_owner = @worker, lease_token = @token, " +
        "lease_expires_at = @expires, started_at = COALESCE(started_at, @now), updated_at = @now " +
        "WHERE id = COALESCE(" +
        "(SELECT id FROM jobs WHERE status = 'Processing' AND lease_expires_at <= @now ORDER BY lease_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED), " +
        "(SELECT id FROM jobs WHERE status = 'Pending' AND not_before <= @now ORDER BY not_before, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)) " +
        "RETURNING " + JobColumns;

    private const string Fence = " WHERE id = @id AND status = 'Processing' AND lease_token = @token";

    private const string HeartbeatSql = "UPDATE jobs SET lease_expires_at = @expires, updated_at = @now" + Fence;

    private const string ProgressSql =
        "UPDATE jobs SET progress = GREATEST(progress, @progress), current_step = @step, " +
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
        "WITH released AS (UPDATE jobs SET status = 'Pending', attempt = GREATEST(0, attempt - 1), not_before = @now, " + EndLease + Fence + " RETURNING id) " +
        "SELECT id, pg_notify('" + NotificationChannel + "', id::text) FROM released";

    /// <inheritdoc/>
    public async Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        var stored = Prepare(job);
        await using var command = await CommandAsync(InsertJobSql, cancellationToken).ConfigureAwait(false);
        await InsertAsync(command, stored, cancellationToken).ConfigureAwait(false);
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
        await InLeaseTransactionAsync(null, async (connection, transaction) =>
        {
            // One enqueuer per audiobook at a time, on every node; the lock ends with the transaction.
            await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@book::text, 0))", connection, transaction))
            {
                gate.Parameters.AddWithValue("book", audioBookId);
                await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // A packaging job not yet claimed gives way to the newer job, which packages the book again when it ends. A claim
            // racing this holds the row: the update waits for it, then leaves the job (no longer pending) to the check below.
            await using (var supersede = new NpgsqlCommand(
                "UPDATE jobs SET status = 'Failed', error_code = '" + ErrorCodes.JobSuperseded + "', " +
                "error_message = 'Superseded before it started by job ' || @job::text || ', a newer job for the audiobook.', completed_at = @now, updated_at = @now " +
                "WHERE type = 'AudiobookPackaging' AND status = 'Pending' AND id <> @preceding " +
                "AND id IN (SELECT job_id FROM audiobook_jobs WHERE audiobook_id = @book)", connection, transaction))
            {
                supersede.Parameters.AddWithValue("job", stored.Id);
                supersede.Parameters.AddWithValue("now", stored.CreatedAt);
                supersede.Parameters.AddWithValue("preceding", preceding ?? Guid.Empty);
                supersede.Parameters.AddWithValue("book", audioBookId);
                await supersede.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var check = new NpgsqlCommand(
                "SELECT l.job_id FROM audiobook_jobs l JOIN jobs j ON j.id = l.job_id " +
                "WHERE l.audiobook_id = @book AND j.status IN ('Pending', 'Processing') AND l.job_id <> @preceding ORDER BY l.seq LIMIT 1", connection, transaction))
            {
                check.Parameters.AddWithValue("book", audioBookId);
                check.Parameters.AddWithValue("preceding", preceding ?? Guid.Empty);
                if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid active)
                {
                    throw new JobInProgressException(audioBookId, active);
                }
            }

            await using (var insert = new NpgsqlCommand(InsertJobSql, connection, transaction))
            {
                await InsertAsync(insert, stored, cancellationToken).ConfigureAwait(false);
            }

            await using var link = new NpgsqlCommand("INSERT INTO audiobook_jobs (job_id, audiobook_id) VALUES (@job, @book)", connection, transaction);
            link.Parameters.AddWithValue("job", stored.Id);
            link.Parameters.AddWithValue("book", audioBookId);
            return await link.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private Job Prepare(NewJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var stored = job.ToPendingJob(Now());
        return stored with { NotBefore = Microseconds(stored.NotBefore) };
    }

    private static async Task InsertAsync(NpgsqlCommand command, Job job, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("id", job.Id);
        command.Parameters.AddWithValue("type", job.Type.ToString());
        command.Parameters.AddWithValue("payload", job.Payload);
        command.Parameters.AddWithValue("max", job.MaxAttempts);
        command.Parameters.AddWithValue("notBefore", job.NotBefore);
        command.Parameters.AddWithValue("now", job.CreatedAt);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ArgumentException($"A job with id {job.Id} already exists.", nameof(job), ex);
        }
    }

    /// <inheritdoc/>
    public async Task<ClaimedJob?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);

        var now = Now();
        var lease = new JobLease(Guid.Empty, workerId, Guid.NewGuid(), now + leaseDuration);
        await using var command = await CommandAsync(ClaimSql, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("token", lease.Token);
        command.Parameters.AddWithValue("expires", lease.ExpiresAt);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var job = ReadJob(reader);
        return new ClaimedJob(job, lease with { JobId = job.Id });
    }

    /// <inheritdoc/>
    public async Task<JobLease> HeartbeatAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        var now = Now();
        var renewed = lease with { ExpiresAt = now + leaseDuration };
        await FencedAsync(lease, HeartbeatSql, now, p => p.AddWithValue("expires", renewed.ExpiresAt), cancellationToken).ConfigureAwait(false);
        return renewed;
    }

    /// <inheritdoc/>
    public Task UpdateProgressAsync(JobLease lease, int progress, string currentStep, UsageTotals? usage = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(progress, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(progress, 100);
        return FencedAsync(lease, ProgressSql, Now(), p =>
        {
            p.AddWithValue("progress", progress);
            p.Add(Nullable("step", NpgsqlDbType.Text, currentStep));
            p.Add(Nullable("llmIn", NpgsqlDbType.Bigint, usage?.Llm.InputTokens));
            p.Add(Nullable("llmOut", NpgsqlDbType.Bigint, usage?.Llm.OutputTokens));
            p.Add(Nullable("tts", NpgsqlDbType.Bigint, usage?.TtsCharacters));
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task CompleteAsync(JobLease lease, CancellationToken cancellationToken = default)
        => FencedAsync(lease, CompleteSql, Now(), static _ => { }, cancellationToken);

    /// <inheritdoc/>
    public Task FailAsync(JobLease lease, JobError failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return FencedAsync(lease, FailSql, Now(), p =>
        {
            p.AddWithValue("code", failure.Code);
            p.AddWithValue("message", failure.Message);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task ScheduleRetryAsync(JobLease lease, JobError failure, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return FencedAsync(lease, RetrySql, Now(), p =>
        {
            p.AddWithValue("code", failure.Code);
            p.AddWithValue("message", failure.Message);
            p.AddWithValue("notBefore", Microseconds(notBefore.ToUniversalTime()));
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task ReleaseAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var command = await CommandAsync(ReleaseSql, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", lease.JobId);
        command.Parameters.AddWithValue("token", lease.Token);
        command.Parameters.AddWithValue("now", Now());
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw new LeaseLostException(lease.JobId);
        }
    }

    /// <inheritdoc/>
    public async Task<Job?> CancelAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        // Ending the lease is what stops a worker running it, on any node: its next heartbeat or write is refused.
        await using (var cancel = await CommandAsync(
            "UPDATE jobs SET status = 'Cancelled', error_code = '" + ErrorCodes.JobCancelled + "', error_message = 'Cancelled on request.', " +
            "completed_at = @now, " + EndLease + " WHERE id = @id AND status IN ('Pending', 'Processing')", cancellationToken).ConfigureAwait(false))
        {
            cancel.Parameters.AddWithValue("id", jobId);
            cancel.Parameters.AddWithValue("now", Now());
            await cancel.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT " + JobColumns + " FROM jobs WHERE id = @id", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadJob(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Job>> ListAsync(JobStatus? status = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var command = await CommandAsync(status is null
            ? "SELECT " + JobColumns + " FROM jobs ORDER BY created_at, id LIMIT @limit"
            : "SELECT " + JobColumns + " FROM jobs WHERE status = @status ORDER BY created_at, id LIMIT @limit", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("limit", limit);
        if (status is { } s)
        {
            command.Parameters.AddWithValue("status", s.ToString());
        }

        var jobs = new List<Job>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(ReadJob(reader));
        }

        return jobs;
    }

    /// <inheritdoc/>
    public async Task<long> CountAsync(JobStatus? status = null, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync(status is null ? "SELECT COUNT(*) FROM jobs" : "SELECT COUNT(*) FROM jobs WHERE status = @status", cancellationToken).ConfigureAwait(false);
        if (status is { } s)
        {
            command.Parameters.AddWithValue("status", s.ToString());
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc/>
    public async Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Take);
        var where = JobFilter(query);
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for the page and the total.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var jobs = new List<Job>();

        // Newest first walks ix_jobs_status_created (with a status) or ix_jobs_created backwards; a kind alone filters that walk.
        await using (var list = new NpgsqlCommand("SELECT " + JobColumns + " FROM jobs" + where + " ORDER BY created_at DESC, id DESC LIMIT @take OFFSET @skip", connection, transaction))
        {
            BindJobFilter(list, query);
            list.Parameters.AddWithValue("take", query.Take);
            list.Parameters.AddWithValue("skip", query.Skip);
            await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                jobs.Add(ReadJob(reader));
            }
        }

        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM jobs" + where, connection, transaction);
        BindJobFilter(count, query);
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new JobPage(jobs, total);
    }

    /// <inheritdoc/>
    public async Task<int> DeleteFinishedJobsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await InLeaseTransactionAsync(null, async (connection, transaction) =>
        {
            // The store decides who sweeps: one node at a time holds this lock (named by the schema, so stores in other schemas
            // sweep on their own) until its transaction ends; the others do not wait, they skip this round.
            await using (var gate = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(hashtextextended('bookbytes.job_retention.' || current_schema(), 0))", connection, transaction))
            {
                if (await gate.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                {
                    return 0;
                }
            }

            // The links go in the same statement, so a link never outlives its job; audiobooks and chapters are not touched.
            await using var delete = new NpgsqlCommand(
                "WITH expired AS (SELECT id FROM jobs WHERE status IN ('Completed', 'Failed', 'Cancelled') AND completed_at < @before " +
                "ORDER BY completed_at, id LIMIT @limit FOR UPDATE SKIP LOCKED), " +
                "links AS (DELETE FROM audiobook_jobs WHERE job_id IN (SELECT id FROM expired)) " +
                "DELETE FROM jobs WHERE id IN (SELECT id FROM expired)", connection, transaction);
            delete.Parameters.AddWithValue("before", before.ToUniversalTime());
            delete.Parameters.AddWithValue("limit", limit);
            return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    // Constant SQL per combination of filters (values are parameters), so each plans with its own index.
    private static string JobFilter(JobQuery query) => (query.Status, query.Type) switch
    {
        (null, null) => string.Empty,
        (not null, null) => " WHERE status = @status",
        (null, not null) => " WHERE type = @type",
        _ => " WHERE status = @status AND type = @type",
    };

    private static void BindJobFilter(NpgsqlCommand command, JobQuery query)
    {
        if (query.Status is { } status)
        {
            command.Parameters.AddWithValue("status", status.ToString());
        }

        if (query.Type is { } type)
        {
            command.Parameters.AddWithValue("type", type.Value);
        }
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value)
        => new(name, type) { Value = value ?? DBNull.Value };

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static Job ReadJob(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        Type = new JobKind(r.GetString(1)),
        Status = Enum.Parse<JobStatus>(r.GetString(2)),
        Payload = r.GetString(3),
        Progress = r.GetInt32(4),
        CurrentStep = Text(r, 5),
        Attempt = r.GetInt32(6),
        MaxAttempts = r.GetInt32(7),
        ErrorCode = Text(r, 8),
        ErrorMessage = Text(r, 9),
        NotBefore = r.GetFieldValue<DateTimeOffset>(10),
        LeaseOwner = Text(r, 11),
        LeaseExpiresAt = Time(r, 12),
        Usage = new UsageTotals(new LlmUsage(r.GetInt64(13), r.GetInt64(14)), r.GetInt64(15)),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(16),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(17),
        StartedAt = Time(r, 18),
        CompletedAt = Time(r, 19),
        Rescues = r.GetInt32(20),
    };

    private async ValueTask<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        return _dataSource.CreateCommand(sql);
    }

    private static async Task CheckLeaseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, JobLease lease, CancellationToken cancellationToken)
    {
        // FOR SHARE holds off a reclaim (whose claim skips locked rows) until this transaction ends.
        await using var command = new NpgsqlCommand("SELECT 1 FROM jobs" + Fence + " FOR SHARE", connection, transaction);
        command.Parameters.AddWithValue("id", lease.JobId);
        command.Parameters.AddWithValue("token", lease.Token);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw new LeaseLostException(lease.JobId);
        }
    }

    private async Task FencedAsync(JobLease lease, string sql, DateTimeOffset now, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var command = await CommandAsync(sql, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", lease.JobId);
        command.Parameters.AddWithValue("token", lease.Token);
        command.Parameters.AddWithValue("now", now);
        bind(command.Parameters);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new LeaseLostException(lease.JobId);
        }
    }

    /// <summary>The clock's time at <c>timestamptz</c> precision, so a returned job equals the one read back.</summary>
    private DateTimeOffset Now() => Microseconds(_time.GetUtcNow());

    private static DateTimeOffset Microseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));

}
