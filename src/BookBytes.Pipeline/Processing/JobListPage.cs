namespace BookBytes.Pipeline.Processing;

/// <summary>One page of jobs, newest first, each with the audiobook it works on.</summary>
/// <param name="Items">The jobs on the page.</param>
/// <param name="Total">How many jobs match the filters in all.</param>
/// <param name="Page">The 1-based page.</param>
/// <param name="PageSize">Jobs per page.</param>
public sealed record JobListPage(IReadOnlyList<JobDetails> Items, long Total, int Page, int PageSize);
