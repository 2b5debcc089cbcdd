namespace BookBytes.Packaging;

/// <summary>Where one chapter sits in a packaged file.</summary>
/// <param name="Title">The chapter mark's title.</param>
/// <param name="StartSeconds">Where it starts: the sum of the preceding chapters' durations.</param>
/// <param name="DurationSeconds">How long it plays.</param>
public sealed record PackageChapterMark(string Title, double StartSeconds, double DurationSeconds);
