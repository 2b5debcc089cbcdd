namespace BookBytes.Jobs;

/// <summary>What <see cref="IJobStore.ListJobsAsync"/> lists: jobs newest first (by creation, then id), filtered and paged.</summary>
/// <param name="Status">Only jobs with this status; <see langword="null"/> for all.</param>
/// <param name="Type">Only jobs of this kind; <see langword="null"/> for all.</param>
/// <param name="Skip">How many of the matching jobs to skip (0 or more).</param>
/// <param name="Take">The most jobs to return (0 or more).</param>
public sealed record JobQuery(JobStatus? Status = null, JobKind? Type = null, int Skip = 0, int Take = 100);
