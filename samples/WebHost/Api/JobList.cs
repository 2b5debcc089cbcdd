namespace BookBytes.WebHost.Api;

/// <summary>A page of jobs (<c>GET /api/v1/jobs</c>), newest first.</summary>
internal sealed record JobList(IReadOnlyList<JobResponse> Items, long Total, int Page, int PageSize);
