using BookBytes.Jobs;

namespace BookBytes.Pipeline.Processing;

/// <summary>A job with the audiobook it works on.</summary>
/// <param name="Job">The job.</param>
/// <param name="AudioBookId">The audiobook, or <see langword="null"/> for a job not linked to one.</param>
public sealed record JobDetails(Job Job, Guid? AudioBookId);
