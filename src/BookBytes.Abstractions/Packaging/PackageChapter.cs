using BookBytes.Tts;

namespace BookBytes.Packaging;

/// <summary>One chapter to put into a packaged audiobook, in order.</summary>
/// <param name="Title">The chapter's title, written as its chapter mark.</param>
/// <param name="Format">The format of the chapter's audio.</param>
/// <param name="OpenAsync">Opens the chapter's audio for reading, once; the packager disposes the stream. Audio is read as a stream, never whole into memory.</param>
public sealed record PackageChapter(string Title, AudioFormat Format, Func<CancellationToken, Task<Stream>> OpenAsync);
