using BookBytes.AudioBooks;
using BookBytes.Packaging;
using BookBytes.WebHost.Security;

namespace BookBytes.WebHost.Api;

/// <summary>The one-file packages of an audiobook's served version (<c>package</c> in an audiobook).</summary>
/// <param name="Version">The version they were made from.</param>
/// <param name="Complete">False when the book was packaged with only the chapters it had; <see cref="Chapters"/> names them.</param>
/// <param name="Chapters">The chapter numbers the files hold.</param>
/// <param name="Files">One per format, with its download URL.</param>
internal sealed record PackageResponse(int Version, bool Complete, IReadOnlyList<int> Chapters, double DurationSeconds, IReadOnlyList<PackageFileResponse> Files, DateTimeOffset CreatedAt)
{
    /// <summary>The package of the served version, or null when none is made of it (a newer version is not packaged yet).</summary>
    public static PackageResponse? From(AudioBook book, FeedTokens tokens)
        => book.Package is { } package && package.Version == book.Version
            ? new PackageResponse(
                package.Version,
                package.Complete,
                package.Chapters,
                package.DurationSeconds,
                [.. package.Files.Select(f => new PackageFileResponse(f.Format.GetFileExtension(), tokens.Sign(ApiRoutes.PackageAudio(book.Id, f.Format), book.Id), f.SizeBytes))],
                package.CreatedAt)
            : null;
}

/// <summary>One packaged file: <c>m4b</c> or <c>mp3</c>, its download URL and size.</summary>
internal sealed record PackageFileResponse(string Format, string Url, long SizeBytes);
