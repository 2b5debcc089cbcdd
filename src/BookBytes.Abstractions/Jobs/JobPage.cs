namespace BookBytes.Jobs;

/// <summary>One page of jobs, newest first.</summary>
/// <param name="Items">The jobs on the page.</param>
/// <param name="Total">How many jobs match the query in all.</param>
public sealed record JobPage(IReadOnlyList<Job> Items, long Total);
