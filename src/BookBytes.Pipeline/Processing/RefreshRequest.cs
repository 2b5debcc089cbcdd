namespace BookBytes.Pipeline.Processing;

/// <summary>How to refresh an audiobook.</summary>
public sealed record RefreshRequest
{
    /// <summary>Gets a value indicating whether to build a whole new version instead of redoing what is missing or failed.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Gets chapter numbers to add to the audiobook (as the edition's table of contents numbers them), made without redoing
    /// its other chapters; <see langword="null"/> to add none. Only editions with a table of contents can have chapters added.
    /// </summary>
    public IReadOnlyList<int>? Chapters { get; init; }
}
