using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BookBytes.Pipeline.Diagnostics;

/// <summary>
/// The names of BookBytes' <see cref="Meter"/> and <see cref="ActivitySource"/>, and its instruments.
/// Subscribe with <c>AddMeter(BookBytesDiagnostics.Name)</c> and <c>AddSource(BookBytesDiagnostics.Name)</c>.
/// </summary>
/// <remarks>
/// Instruments: <c>bookbytes.jobs.started</c>, <c>bookbytes.jobs.completed</c>, <c>bookbytes.jobs.failed</c>,
/// <c>bookbytes.jobs.retried</c>, <c>bookbytes.jobs.released</c>, <c>bookbytes.jobs.cancelled</c> (counters, tag <c>job.type</c>);
/// <c>bookbytes.chapter.duration</c> (histogram, seconds from start to stored, tag <c>outcome</c>);
/// <c>bookbytes.tts.characters</c> (counter); <c>bookbytes.llm.tokens</c> (counter, tag <c>direction</c>).
/// Activities: <c>job</c>, <c>chapter</c>, <c>llm.outline</c>, <c>llm.summary</c>, <c>tts.synthesize</c>, <c>storage.save</c>.
/// </remarks>
public static class BookBytesDiagnostics
{
    /// <summary>The name of the meter and of the activity source: <c>BookBytes</c>.</summary>
    public const string Name = "BookBytes";

    internal static readonly ActivitySource ActivitySource = new(Name);
}
