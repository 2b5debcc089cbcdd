using System.Globalization;

namespace BookBytes.Pipeline.Processing;

/// <summary>
/// Thrown when some chapters of an audiobook failed after their retries while the others are stored.
/// Transient: a later attempt redoes only the failed chapters.
/// </summary>
public sealed class ChaptersFailedException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="chapterNumbers">The chapters that failed.</param>
    /// <param name="firstError">The first chapter's error message.</param>
    public ChaptersFailedException(IReadOnlyList<int> chapterNumbers, string? firstError)
        : base(FormatMessage(chapterNumbers, firstError), ErrorCodes.ChaptersFailed, isTransient: true)
    {
        ChapterNumbers = chapterNumbers;
    }

    /// <summary>Gets the chapters that failed.</summary>
    public IReadOnlyList<int> ChapterNumbers { get; }

    private static string FormatMessage(IReadOnlyList<int> numbers, string? firstError)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var list = string.Join(", ", numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        var noun = numbers.Count == 1 ? "Chapter" : "Chapters";
        return firstError is null ? $"{noun} {list} failed." : $"{noun} {list} failed: {firstError}";
    }
}
