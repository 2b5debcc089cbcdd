using BookBytes.Packaging;

namespace BookBytes.Testing.Fakes;

/// <summary>A file <see cref="FakeAudioPackager"/> made.</summary>
/// <param name="Format">Its format.</param>
/// <param name="Chapters">Each chapter's bytes as the fake read them from the chapter's stream, in order.</param>
/// <param name="Path">The temporary file, deleted when the caller disposes the result.</param>
public sealed record FakePackage(PackageFormat Format, IReadOnlyList<byte[]> Chapters, string Path)
{
    /// <summary>Gets the file's expected content: the header, then the chapters' bytes.</summary>
    public byte[] Content => [.. FakeAudioPackager.HeaderFor(Format), .. Chapters.SelectMany(c => c)];
}
