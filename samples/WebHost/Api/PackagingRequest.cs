namespace BookBytes.WebHost.Api;

/// <summary>The optional body of <c>POST /api/v1/audiobooks/{id}/package</c>.</summary>
/// <param name="Formats"><c>m4b</c> and/or <c>mp3</c>; absent or empty for both.</param>
internal sealed record PackagingRequest(IReadOnlyList<string>? Formats);
