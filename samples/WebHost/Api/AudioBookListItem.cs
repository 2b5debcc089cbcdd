using BookBytes.AudioBooks;

namespace BookBytes.WebHost.Api;

/// <summary>An audiobook in a list: as <see cref="AudioBookResponse"/> without chapters and packages.</summary>
/// <param name="CoverUrl">The cover image (this host's endpoint), when the edition has one: the library shows it.</param>
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
    string? CoverUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
