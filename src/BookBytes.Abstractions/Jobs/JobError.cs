namespace BookBytes.Jobs;

/// <summary>Why a job attempt failed.</summary>
/// <param name="Code">A stable error code from <see cref="ErrorCodes"/>.</param>
/// <param name="Message">A message for people; never holds secrets.</param>
public sealed record JobError(string Code, string Message);
