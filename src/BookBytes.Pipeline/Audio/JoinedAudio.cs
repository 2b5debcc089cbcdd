namespace BookBytes.Pipeline.Audio;

/// <summary>Audio made of consecutive byte segments, with its length and, when the format tells it, its duration.</summary>
/// <param name="Segments">The bytes in order; nothing is copied from the synthesized chunks.</param>
/// <param name="Length">The total length in bytes.</param>
/// <param name="DurationSeconds">The duration, or <see langword="null"/> when the format does not tell it.</param>
internal sealed record JoinedAudio(IReadOnlyList<ReadOnlyMemory<byte>> Segments, long Length, double? DurationSeconds)
{
    /// <summary>Opens a read-only stream over the segments.</summary>
    /// <returns>A stream that reads the segments one after another.</returns>
    public Stream OpenRead() => new SegmentStream(Segments, Length);
}
