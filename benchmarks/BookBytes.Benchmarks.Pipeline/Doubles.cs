using System.Text;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline.Jobs;
using BookBytes.Storage;
using BookBytes.Tts;

namespace BookBytes.Benchmarks.Pipeline;

/// <summary>A language model that takes a fixed time per call plus a time per output token.</summary>
internal sealed class LatencyLlm(int chapters, TimeSpan perCall, double tokensPerSecond, int summaryWords) : ILlmProvider
{
    public async Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
    {
        var headings = Enumerable.Range(1, chapters).Select(n => new ChapterHeading(n, $"Chapter {n}")).ToList();
        await Wait(10 * chapters, cancellationToken);
        return new BookOutline(true, headings, new LlmUsage(200, 10 * chapters));
    }

    public async Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
    {
        var text = Summary(chapter.Number, summaryWords);
        var tokens = (int)(summaryWords * 1.3);
        await Wait(tokens, cancellationToken);
        return new ChapterSummary(text, new LlmUsage(300, tokens));
    }

    private Task Wait(int outputTokens, CancellationToken ct)
        => Task.Delay(perCall + (tokensPerSecond > 0 ? TimeSpan.FromSeconds(outputTokens / tokensPerSecond) : TimeSpan.Zero), ct);

    public static string Summary(int chapter, int words)
    {
        var text = new StringBuilder($"Chapter {chapter} begins here. ");
        var count = 4;
        var sentence = 0;
        while (count < words)
        {
            text.Append("This is sentence ").Append(++sentence).Append(" of the chapter, spoken slowly and clearly. ");
            count += 10;
            if (sentence % 8 == 0)
            {
                text.Append("\n\n");
            }
        }

        return text.ToString().Trim();
    }
}

/// <summary>A speech service that takes a fixed time per call plus a time per input character, and returns a fixed-size MP3.</summary>
internal sealed class LatencyTts(TimeSpan perCall, double charactersPerSecond, int audioBytes) : ITtsProvider
{
    private const int FrameLength = 417;

    // 1152 samples at 44.1 kHz a frame; the audio lasts at least as long as its text takes to say at 15 characters a
    // second (the pipeline refuses speech implausibly short for its text), and is at least audioBytes long.
    private const double FrameSeconds = 1152 / 44_100.0;

    public TtsCapabilities Capabilities { get; } = new(4096, ["alloy"], [AudioFormat.Mp3], DefaultVoice: "alloy");

    public async Task<ReadOnlyMemory<byte>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken = default)
    {
        // A fresh buffer per call, held for the whole call, as an HTTP client fills its response buffer while the audio streams in.
        var audio = SilentMp3(Math.Max(audioBytes / FrameLength, (int)Math.Ceiling(request.Text.Length / 15.0 / FrameSeconds)));
        await Task.Delay(perCall + (charactersPerSecond > 0 ? TimeSpan.FromSeconds(request.Text.Length / charactersPerSecond) : TimeSpan.Zero), cancellationToken);
        return audio;
    }

    private static byte[] SilentMp3(int frameCount)
    {
        const int frameLength = FrameLength;
        var frames = Math.Max(1, frameCount);
        var audio = new byte[frames * frameLength];
        for (var i = 0; i < frames; i++)
        {
            audio[i * frameLength] = 0xFF;
            audio[(i * frameLength) + 1] = 0xFB;
            audio[(i * frameLength) + 2] = 0x90;
            audio[(i * frameLength) + 3] = 0xC4;
        }

        return audio;
    }
}

/// <summary>Storage that reads every stream to the end and keeps only its length.</summary>
internal sealed class DiscardingStorage : IStorageBackend
{
    private readonly HashSet<string> _keys = [];

    public bool ServesDirectUrls => false;

    public async Task<StoredObject> SaveAsync(StorageKey key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            length += read;
        }

        lock (_keys)
        {
            _keys.Add(key.Value);
        }

        return new StoredObject(key, key.Value, length);
    }

    public Task<Stream?> OpenReadAsync(StorageKey key, CancellationToken cancellationToken = default) => Task.FromResult<Stream?>(null);

    public Task<Uri> GetUrlAsync(StorageKey key, TimeSpan? expiry = null, CancellationToken cancellationToken = default) => Task.FromResult(new Uri("null:" + key.Value));

    public Task<bool> DeleteAsync(StorageKey key, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<int> DeleteUnderAsync(StorageKey folder, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<bool> ExistsAsync(StorageKey key, CancellationToken cancellationToken = default)
    {
        lock (_keys)
        {
            return Task.FromResult(_keys.Contains(key.Value));
        }
    }
}

/// <summary>A catalog that knows every ISBN, without a table of contents.</summary>
internal sealed class AnyBookCatalog : IBookCatalog
{
    public Task<Edition?> FindByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default)
        => Task.FromResult<Edition?>(new Edition { Id = Guid.CreateVersion7(), Isbn13 = isbn.Value, Title = "Benchmark Book " + isbn, Authors = ["A. Author"] });
}

/// <summary>A job processor that does nothing, to measure the runner and store alone.</summary>
internal sealed class NoOpProcessor : IJobHandler
{
    public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.AudiobookGeneration, JobKind.AudiobookRefresh];

    public Task<JobResult> HandleAsync(JobExecution execution, CancellationToken cancellationToken) => Task.FromResult(JobResult.Completed);
}

/// <summary>Counts completions and signals when a target is reached.</summary>
internal sealed class CompletionCounter(IJobStore inner, int target) : IJobStore
{
    private int _completed;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default) => inner.EnqueueAsync(job, cancellationToken);

    public Task<ClaimedJob?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default) => inner.ClaimNextAsync(workerId, leaseDuration, cancellationToken);

    public Task<JobLease> HeartbeatAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default) => inner.HeartbeatAsync(lease, leaseDuration, cancellationToken);

    public Task UpdateProgressAsync(JobLease lease, int progress, string currentStep, BookBytes.UsageTotals? usage = null, CancellationToken cancellationToken = default)
        => inner.UpdateProgressAsync(lease, progress, currentStep, usage, cancellationToken);

    public async Task CompleteAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        await inner.CompleteAsync(lease, cancellationToken);
        if (Interlocked.Increment(ref _completed) == target)
        {
            Done.TrySetResult();
        }
    }

    public Task FailAsync(JobLease lease, JobError failure, CancellationToken cancellationToken = default) => inner.FailAsync(lease, failure, cancellationToken);

    public Task ScheduleRetryAsync(JobLease lease, JobError failure, DateTimeOffset notBefore, CancellationToken cancellationToken = default) => inner.ScheduleRetryAsync(lease, failure, notBefore, cancellationToken);

    public Task ReleaseAsync(JobLease lease, CancellationToken cancellationToken = default) => inner.ReleaseAsync(lease, cancellationToken);

    public Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken = default) => inner.GetAsync(jobId, cancellationToken);

    public Task<Job?> CancelAsync(Guid jobId, CancellationToken cancellationToken = default) => inner.CancelAsync(jobId, cancellationToken);

    public Task<IReadOnlyList<Job>> ListAsync(JobStatus? status = null, int limit = 100, CancellationToken cancellationToken = default) => inner.ListAsync(status, limit, cancellationToken);

    public Task<long> CountAsync(JobStatus? status = null, CancellationToken cancellationToken = default) => inner.CountAsync(status, cancellationToken);

    public Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default) => inner.ListJobsAsync(query, cancellationToken);

    public Task<int> DeleteFinishedJobsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
        => inner.DeleteFinishedJobsAsync(before, limit, cancellationToken);
}
