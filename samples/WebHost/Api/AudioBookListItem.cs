using BookBytes.AudioBooks;

namespace BookBytes.WebHost.Api;

/// <summary>An audiobook in a list: as <see cref="AudioBookResponse"/> without chapters.</summary>
internal sealed record AudioBookListItem(
    Guid Id,
    EditionResponse? Edition,
    string Mode,
    string Grounding,
    int? SummaryWords,
    AudioBookStatus Status,
    int Version,
    string Voice,
    double TotalDurationSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
