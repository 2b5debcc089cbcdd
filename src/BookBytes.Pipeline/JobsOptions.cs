using System.ComponentModel.DataAnnotations;

namespace BookBytes.Pipeline;

/// <summary>Job runner settings (<c>BookBytes:Jobs</c>).</summary>
public sealed class JobsOptions
{
    /// <summary>Gets or sets how many jobs one node runs at once (<c>BookBytes:Jobs:MaxConcurrentJobs</c>, default 4).</summary>
    [Range(1, 1024)]
    public int MaxConcurrentJobs { get; set; } = 4;

    /// <summary>Gets or sets how many attempts a job gets before it fails for good (<c>BookBytes:Jobs:MaxAttempts</c>, default 3).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Gets or sets how many times a job may be taken back from a worker that died while running it (<c>BookBytes:Jobs:MaxRescues</c>,
    /// default 25) before it fails with <c>JOB_ABANDONED</c>, as a job that may itself be what kills workers. Rescues are not
    /// attempts: a crash does not use up the attempts meant for failures.
    /// </summary>
    [Range(1, 1000)]
    public int MaxRescues { get; set; } = 25;

    /// <summary>Gets or sets how long a claim lasts without a heartbeat (<c>BookBytes:Jobs:LeaseDuration</c>, default 2 minutes). Heartbeats renew it every third of this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how often idle workers look for due jobs (<c>BookBytes:Jobs:PollInterval</c>, default 1 second): jobs from other nodes, retries coming due, expired leases.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long running jobs get at shutdown to reach a checkpoint before they are released (<c>BookBytes:Jobs:ShutdownTimeout</c>, default 30 seconds).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the first retry delay of a failed job (<c>BookBytes:Jobs:RetryBaseDelay</c>, default 10 seconds); it doubles with each attempt, with ±20% jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the longest retry delay of a failed job (<c>BookBytes:Jobs:MaxRetryDelay</c>, default 10 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the pause before a step tries a provider call again within an attempt — after an unusable answer or a transient failure (<c>BookBytes:Jobs:StepRetryDelay</c>, default 1 second; doubles per try).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StepRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how often a running job is read between lease renewals to see whether it was cancelled
    /// (<c>BookBytes:Jobs:CancelCheckInterval</c>, default 2 seconds): a cancelled job stops within about this long, on any node.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan CancelCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gets or sets whether a generation or refresh job, as it ends with chapters stored, enqueues the audiobook's packaging into
    /// one chaptered M4B and MP3 (<c>BookBytes:Jobs:PackageWhenDone</c>, default <see langword="true"/>; needs a registered
    /// <see cref="Packaging.IAudioPackager"/>). Packaging can always be asked for.
    /// </summary>
    public bool PackageWhenDone { get; set; } = true;

    /// <summary>
    /// Gets or sets how long that packaging waits before it starts (<c>BookBytes:Jobs:PackagingDelay</c>, default 15 seconds). A job asked
    /// for the audiobook meanwhile — a retry, a new version, a packaging — supersedes it rather than being refused, so a listener who
    /// refreshes a book just made is not turned away while its file is made.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PackagingDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets how long a finished job (Completed, Failed or Cancelled) is kept after it finished (<c>BookBytes:Jobs:Retention</c>,
    /// default 30 days). Older ones are deleted with their audiobook links by a sweep every <see cref="RetentionSweepInterval"/> on
    /// worker nodes; audiobooks and chapters are never deleted by it. <see cref="TimeSpan.Zero"/> keeps jobs for ever (no sweep).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Gets or sets how often a worker node sweeps finished jobs older than <see cref="Retention"/> (<c>BookBytes:Jobs:RetentionSweepInterval</c>,
    /// default 1 hour). The store lets one node sweep at a time; each sweep deletes in batches until nothing is left to delete.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);
}
