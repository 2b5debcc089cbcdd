using BookBytes.Jobs;

namespace BookBytes.WebHost.Api;

/// <summary>The 202 answer of the process and refresh endpoints.</summary>
internal sealed record ProcessAccepted(Guid JobId, Guid AudioBookId, JobStatus Status, string Message);
