using System.Diagnostics.Metrics;
using BookBytes.Jobs;

namespace BookBytes.Pipeline.Diagnostics;

/// <summary>The pipeline's instruments on the <c>BookBytes</c> meter.</summary>
internal sealed class BookBytesMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _jobsStarted;
    private readonly Counter<long> _jobsCompleted;
    private readonly Counter<long> _jobsFailed;
    private readonly Counter<long> _jobsRetried;
    private readonly Counter<long> _jobsReleased;
    private readonly Counter<long> _jobsCancelled;
    private readonly Histogram<double> _chapterDuration;
    private readonly Counter<long> _ttsCharacters;
    private readonly Counter<long> _llmTokens;
    private readonly Counter<long> _summariesDiscarded;

    public BookBytesMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(BookBytesDiagnostics.Name) ?? new Meter(BookBytesDiagnostics.Name);
        _jobsStarted = _meter.CreateCounter<long>("bookbytes.jobs.started", "{job}", "Jobs claimed and started.");
        _jobsCompleted = _meter.CreateCounter<long>("bookbytes.jobs.completed", "{job}", "Jobs completed.");
        _jobsFailed = _meter.CreateCounter<long>("bookbytes.jobs.failed", "{job}", "Jobs failed for good.");
        _jobsRetried = _meter.CreateCounter<long>("bookbytes.jobs.retried", "{job}", "Job attempts that failed and were scheduled again.");
        _jobsReleased = _meter.CreateCounter<long>("bookbytes.jobs.released", "{job}", "Jobs released back to pending at shutdown.");
        _jobsCancelled = _meter.CreateCounter<long>("bookbytes.jobs.cancelled", "{job}", "Running jobs this node stopped because they were cancelled.");
        _chapterDuration = _meter.CreateHistogram<double>("bookbytes.chapter.duration", "s", "Time from a chapter's start to its audio being stored.");
        _ttsCharacters = _meter.CreateCounter<long>("bookbytes.tts.characters", "{character}", "Characters synthesized.");
        _llmTokens = _meter.CreateCounter<long>("bookbytes.llm.tokens", "{token}", "Language-model tokens used.");
        _summariesDiscarded = _meter.CreateCounter<long>("bookbytes.summaries.discarded", "{summary}", "Streamed summaries refused or broken off after speech of them had begun: their audio discarded and the summary asked again.");
    }

    public void JobStarted(JobKind type) => _jobsStarted.Add(1, Tag(type));

    public void JobCompleted(JobKind type) => _jobsCompleted.Add(1, Tag(type));

    public void JobFailed(JobKind type) => _jobsFailed.Add(1, Tag(type));

    public void JobRetried(JobKind type) => _jobsRetried.Add(1, Tag(type));

    public void JobReleased(JobKind type) => _jobsReleased.Add(1, Tag(type));

    public void JobCancelled(JobKind type) => _jobsCancelled.Add(1, Tag(type));

    public void ChapterFinished(TimeSpan elapsed, bool succeeded)
        => _chapterDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", succeeded ? "completed" : "failed"));

    public void SummaryDiscarded() => _summariesDiscarded.Add(1);

    public void CharactersSynthesized(int characters) => _ttsCharacters.Add(characters);

    public void TokensUsed(Llm.LlmUsage usage)
    {
        _llmTokens.Add(usage.InputTokens, new KeyValuePair<string, object?>("direction", "input"));
        _llmTokens.Add(usage.OutputTokens, new KeyValuePair<string, object?>("direction", "output"));
    }

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(JobKind type) => new("job.type", type.ToString());
}
