namespace BookBytes.Jobs;

/// <summary>The kinds of work a job does.</summary>
public enum JobType
{
    /// <summary>Generates an audiobook from scratch (or finishes what an earlier attempt left).</summary>
    AudiobookGeneration,

    /// <summary>Regenerates missing or failed chapters, or a whole new version when forced.</summary>
    AudiobookRefresh,
}
