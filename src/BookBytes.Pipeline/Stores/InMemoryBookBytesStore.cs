using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;

namespace BookBytes.Pipeline.Stores;

/// <summary>
/// An <see cref="IJobStore"/> and <see cref="IAudioBookStore"/> held in memory: the library's default,
/// for tests, samples and single-process apps that do not need jobs to survive a restart.
/// </summary>
/// <remarks>
/// It has the semantics of the durable stores: leases that expire and are reclaimed, writes fenced by
/// the claim's token (also for audiobook and chapter writes that carry a lease), due times for retries,
/// monotonic progress. Thread-safe: every operation takes one lock and finishes in memory.
/// </remarks>
public sealed partial class InMemoryBookBytesStore : IJobStore, IAudioBookStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    private readonly Dictionary<Guid, JobEntry> _jobs = [];
    private readonly SortedSet<(DateTimeOffset NotBefore, DateTimeOffset CreatedAt, Guid Id)> _pending = [];
    private readonly SortedSet<(DateTimeOffset ExpiresAt, Guid Id)> _leases = [];

    private readonly Dictionary<Guid, Edition> _editions = [];
    private readonly Dictionary<string, Guid> _editionsByIsbn = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, AudioBook> _audioBooks = [];
    private readonly Dictionary<(Guid EditionId, AudioBooks.AudioBookMode Mode), Guid> _audioBooksByEdition = [];
    private readonly Dictionary<(Guid AudioBookId, int Version), SortedDictionary<int, Chapter>> _chapters = [];
    private readonly Dictionary<Guid, Guid> _audioBookByJob = [];
    private readonly Dictionary<Guid, List<Guid>> _jobsByAudioBook = [];

    /// <summary>Initializes a new, empty store.</summary>
    /// <param name="timeProvider">The clock for due times, leases and timestamps; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InMemoryBookBytesStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stored = Prepare(job);
        lock (_gate)
        {
            Add(stored);
        }

        return Task.FromResult(stored);
    }

    /// <inheritdoc/>
    public Task<Job> EnqueueLinkedJobAsync(Guid audioBookId, NewJob job, CancellationToken cancellationToken = default)
        => EnqueueLinkedAsync(audioBookId, job, preceding: Guid.Empty, cancellationToken);

    /// <inheritdoc/>
    public Task<Job> EnqueueFollowUpJobAsync(Guid audioBookId, NewJob job, Guid precedingJobId, CancellationToken cancellationToken = default)
        => EnqueueLinkedAsync(audioBookId, job, precedingJobId, cancellationToken);

    private Task<Job> EnqueueLinkedAsync(Guid audioBookId, NewJob job, Guid preceding, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stored = Prepare(job);
        lock (_gate)
        {
            var linked = _jobsByAudioBook.TryGetValue(audioBookId, out var ids) ? ids : [];
            var active = linked.Find(id => id != preceding && !_jobs[id].Job.IsTerminal && !IsSupersedable(_jobs[id].Job));
            if (active != Guid.Empty)
            {
                throw new JobInProgressException(audioBookId, active);
            }

            foreach (var id in linked.Where(id => id != preceding && IsSupersedable(_jobs[id].Job)))
            {
                var entry = _jobs[id];
                _pending.Remove((entry.Job.NotBefore, entry.Job.CreatedAt, id));
                entry.Job = entry.Job with
                {
                    Status = JobStatus.Failed,
                    ErrorCode = ErrorCodes.JobSuperseded,
                    ErrorMessage = Superseded(stored.Id),
                    UpdatedAt = stored.CreatedAt,
                    CompletedAt = stored.CreatedAt,
                };
            }

            Add(stored);
            Link(audioBookId, stored.Id);
        }

        return Task.FromResult(stored);
    }

    // A packaging job not yet claimed gives way to a newer job for its audiobook, which packages the book again when it ends.
    private static bool IsSupersedable(Job job) => job.Status == JobStatus.Pending && job.Type == JobKind.AudiobookPackaging;

    private static string Superseded(Guid by) => $"Superseded before it started by job {by}, a newer job for the audiobook.";

    private Job Prepare(NewJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.ToPendingJob(_time.GetUtcNow());
    }

    private void Add(Job job)
    {
        if (!_jobs.TryAdd(job.Id, new JobEntry(job)))
        {
            throw new ArgumentException($"A job with id {job.Id} already exists.", nameof(job));
        }

        _pending.Add((job.NotBefore, job.CreatedAt, job.Id));
    }

    /// <inheritdoc/>
    public Task<ClaimedJob?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            Guid id;
            if (_leases.Count > 0 && _leases.Min.ExpiresAt <= now)
            {
                id = _leases.Min.Id;
                _leases.Remove(_leases.Min);
            }
            else if (_pending.Count > 0 && _pending.Min.NotBefore <= now)
            {
                id = _pending.Min.Id;
                _pending.Remove(_pending.Min);
            }
            else
            {
                return Task.FromResult<ClaimedJob?>(null);
            }

            var entry = _jobs[id];
            var lease = new JobLease(id, workerId, Guid.NewGuid(), now + leaseDuration);
            entry.Token = lease.Token;

            // A processing job (its lease expired: its worker died) is rescued, not given a new attempt.
            var rescue = entry.Job.Status == JobStatus.Processing;
            entry.Job = entry.Job with
            {
                Status = JobStatus.Processing,
                Attempt = rescue ? entry.Job.Attempt : entry.Job.Attempt + 1,
                Rescues = rescue ? entry.Job.Rescues + 1 : entry.Job.Rescues,
                LeaseOwner = workerId,
                LeaseExpiresAt = lease.ExpiresAt,
                StartedAt = entry.Job.StartedAt ?? now,
                UpdatedAt = now,
            };
            _leases.Add((lease.ExpiresAt, id));
            return Task.FromResult<ClaimedJob?>(new ClaimedJob(entry.Job, lease));
        }
    }

    /// <inheritdoc/>
    public Task<JobLease> HeartbeatAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var entry = Held(lease);
            var renewed = lease with { ExpiresAt = now + leaseDuration };
            _leases.Remove((entry.Job.LeaseExpiresAt!.Value, lease.JobId));
            _leases.Add((renewed.ExpiresAt, lease.JobId));
            entry.Job = entry.Job with { LeaseExpiresAt = renewed.ExpiresAt, UpdatedAt = now };
            return Task.FromResult(renewed);
        }
    }

    /// <inheritdoc/>
    public Task UpdateProgressAsync(JobLease lease, int progress, string currentStep, UsageTotals? usage = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(progress, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(progress, 100);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var entry = Held(lease);
            entry.Job = entry.Job with
            {
                Progress = Math.Max(entry.Job.Progress, progress),
                CurrentStep = currentStep,
                Usage = usage ?? entry.Job.Usage,
                UpdatedAt = now,
            };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task CompleteAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var entry = EndLease(lease);
            entry.Job = entry.Job with
            {
                Status = JobStatus.Completed,
                Progress = 100,
                ErrorCode = null,
                ErrorMessage = null,
                UpdatedAt = now,
                CompletedAt = now,
            };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task FailAsync(JobLease lease, JobError failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var entry = EndLease(lease);
            entry.Job = entry.Job with
            {
                Status = JobStatus.Failed,
                ErrorCode = failure.Code,
                ErrorMessage = failure.Message,
                UpdatedAt = now,
                CompletedAt = now,
            };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ScheduleRetryAsync(JobLease lease, JobError failure, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var entry = EndLease(lease);
            entry.Job = entry.Job with
            {
                Status = JobStatus.Pending,
                ErrorCode = failure.Code,
                ErrorMessage = failure.Message,
                NotBefore = notBefore,
                UpdatedAt = now,
            };
            _pending.Add((notBefore, entry.Job.CreatedAt, lease.JobId));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ReleaseAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var entry = EndLease(lease);
            entry.Job = entry.Job with
            {
                Status = JobStatus.Pending,
                Attempt = Math.Max(0, entry.Job.Attempt - 1),
                NotBefore = now,
                UpdatedAt = now,
            };
            _pending.Add((now, entry.Job.CreatedAt, lease.JobId));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_jobs.TryGetValue(jobId, out var entry) ? entry.Job : null);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Job>> ListAsync(JobStatus? status = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_gate)
        {
            IReadOnlyList<Job> jobs = [.. _jobs.Values
                .Select(e => e.Job)
                .Where(j => status is null || j.Status == status)
                .OrderBy(j => j.CreatedAt)
                .ThenBy(j => j.Id)
                .Take(limit)];
            return Task.FromResult(jobs);
        }
    }

    /// <inheritdoc/>
    public Task<long> CountAsync(JobStatus? status = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_jobs.Values.Count(e => status is null || e.Job.Status == status));
        }
    }

    /// <inheritdoc/>
    public Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Take);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var matching = _jobs.Values
                .Select(e => e.Job)
                .Where(j => (query.Status is null || j.Status == query.Status) && (query.Type is null || j.Type == query.Type))
                .ToList();
            IReadOnlyList<Job> page = [.. matching
                .OrderByDescending(j => j.CreatedAt)
                .ThenByDescending(j => j.Id)
                .Skip(query.Skip)
                .Take(query.Take)];
            return Task.FromResult(new JobPage(page, matching.Count));
        }
    }

    /// <inheritdoc/>
    public Task<int> DeleteFinishedJobsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var expired = _jobs.Values
                .Select(e => e.Job)
                .Where(j => j.IsTerminal && j.CompletedAt < before)
                .OrderBy(j => j.CompletedAt)
                .ThenBy(j => j.Id)
                .Take(limit)
                .Select(j => j.Id)
                .ToList();
            foreach (var id in expired)
            {
                _jobs.Remove(id);
                if (_audioBookByJob.Remove(id, out var audioBookId) && _jobsByAudioBook.TryGetValue(audioBookId, out var linked))
                {
                    linked.Remove(id);
                }
            }

            return Task.FromResult(expired.Count);
        }
    }

    private JobEntry Held(JobLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!_jobs.TryGetValue(lease.JobId, out var entry) || entry.Job.Status != JobStatus.Processing || entry.Token != lease.Token)
        {
            throw new LeaseLostException(lease.JobId);
        }

        return entry;
    }

    /// <inheritdoc/>
    public Task<Job?> CancelAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var entry))
            {
                return Task.FromResult<Job?>(null);
            }

            if (!entry.Job.IsTerminal)
            {
                _pending.Remove((entry.Job.NotBefore, entry.Job.CreatedAt, jobId));
                if (entry.Job.LeaseExpiresAt is { } expires)
                {
                    _leases.Remove((expires, jobId));
                }

                entry.Token = null;
                entry.Job = entry.Job with
                {
                    Status = JobStatus.Cancelled,
                    ErrorCode = ErrorCodes.JobCancelled,
                    ErrorMessage = CancelledMessage,
                    LeaseOwner = null,
                    LeaseExpiresAt = null,
                    UpdatedAt = now,
                    CompletedAt = now,
                };
            }

            return Task.FromResult<Job?>(entry.Job);
        }
    }

    private const string CancelledMessage = "Cancelled on request.";

    private JobEntry EndLease(JobLease lease)
    {
        var entry = Held(lease);
        _leases.Remove((entry.Job.LeaseExpiresAt!.Value, lease.JobId));
        entry.Token = null;
        entry.Job = entry.Job with { LeaseOwner = null, LeaseExpiresAt = null };
        return entry;
    }

    private void CheckFence(JobLease? lease)
    {
        if (lease is not null)
        {
            Held(lease);
        }
    }

    private sealed class JobEntry(Job job)
    {
        public Job Job { get; set; } = job;

        public Guid? Token { get; set; }
    }
}
