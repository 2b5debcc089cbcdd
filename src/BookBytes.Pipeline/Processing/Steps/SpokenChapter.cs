using BookBytes.Pipeline.Audio;
using BookBytes.Storage;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>A chapter's joined audio and the stored segments it was joined from (removed once the chapter file is stored).</summary>
/// <param name="Audio">The joined audio.</param>
/// <param name="Segments">The segments' keys, in order.</param>
internal sealed record SpokenChapter(JoinedAudio Audio, IReadOnlyList<StorageKey> Segments);
