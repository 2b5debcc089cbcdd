using BookBytes.Pipeline.Audio;
using BookBytes.Storage;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>A chapter's joined audio, the stored segments it was joined from and their list (removed once the chapter file is stored), and what each chunk said for how long.</summary>
/// <param name="Audio">The joined audio.</param>
/// <param name="Segments">The segments' keys, in order.</param>
/// <param name="Spoken">Each chunk's text and its audio's duration, in order: the transcript's timing.</param>
/// <param name="Manifest">The key of the segments' list (<see cref="Storage.SegmentManifest"/>).</param>
internal sealed record SpokenChapter(JoinedAudio Audio, IReadOnlyList<StorageKey> Segments, IReadOnlyList<Transcripts.TimedText> Spoken, StorageKey Manifest);
