using System.Collections.Concurrent;
using System.Diagnostics;
using BookBytes.Llm;
using BookBytes.Storage;
using BookBytes.Tts;

namespace BookBytes.Benchmarks.Pipeline;

/// <summary>One provider call as a latency model saw it: when it ran (stopwatch seconds) and what the model says it costs.</summary>
/// <param name="Start">When the call started, in seconds on <see cref="CallLog.Clock"/>.</param>
/// <param name="End">When it returned.</param>
/// <param name="Nominal">The model's duration of the call, in seconds.</param>
/// <param name="Text">The call's input text (speech) or answer (summary).</param>
/// <param name="Chapter">The chapter (summaries); 0 for speech.</param>
/// <param name="Scope">What was summarised (summaries).</param>
internal sealed record Call(double Start, double End, double Nominal, string Text, int Chapter = 0, SummaryScope Scope = SummaryScope.Chapter)
{
    /// <summary>Gets the length of the call's text, kept when the text itself is not (memory runs).</summary>
    public int Characters { get; init; } = Text.Length;
}

/// <summary>The calls a latency model received, with one clock for all of them.</summary>
internal sealed class CallLog
{
    private readonly ConcurrentQueue<Call> _calls = new();

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public double Now => Clock.Elapsed.TotalSeconds;

    public IReadOnlyList<Call> Calls => [.. _calls.OrderBy(c => c.Start)];

    public void Add(Call call) => _calls.Enqueue(call);
}

/// <summary>
/// A speech service that takes 0.3 s + 1 s per 100 characters per call and answers with low-bitrate MP3 (MPEG-2.5
/// Layer III, 8 kHz, 8 kbit/s: 72-byte frames of 72 ms, ≈ 1 KB a second of audio) lasting as long as the text takes to say
/// at 15 characters a second, so the pipeline's speech-duration check passes and the audio in flight stays small.
/// </summary>
/// <remarks>With <paramref name="keepText"/> off the log keeps each call's length, not its text: a log of a 200k-word book's text
/// (2.4 MB) would otherwise be measured as the pipeline's memory.</remarks>
internal sealed class ModelTts(CallLog log, double perCallSeconds = 0.3, double charactersPerSecond = 100, bool keepText = true) : ITtsProvider
{
    private const int FrameLength = 72;
    private const double FrameSeconds = 576 / 8_000.0;

    public TtsCapabilities Capabilities { get; } = new(4096, ["alloy"], [AudioFormat.Mp3], DefaultVoice: "alloy");

    public async Task<ReadOnlyMemory<byte>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken = default)
    {
        var start = log.Now;
        var nominal = perCallSeconds + (request.Text.Length / charactersPerSecond);

        // Allocated first and held for the call, as an HTTP client fills its response buffer while the audio streams in.
        var audio = Mp3((int)Math.Ceiling(request.Text.Length / 15.0 / FrameSeconds));
        await Task.Delay(TimeSpan.FromSeconds(nominal), cancellationToken);
        log.Add(new Call(start, log.Now, nominal, keepText ? request.Text : string.Empty) { Characters = request.Text.Length });
        return audio;
    }

    private static byte[] Mp3(int frameCount)
    {
        var frames = Math.Max(1, frameCount);
        var audio = new byte[frames * FrameLength];
        for (var i = 0; i < frames; i++)
        {
            // Sync, MPEG 2.5, Layer III, no CRC; 8 kbit/s, 8 kHz, no padding; mono.
            audio[i * FrameLength] = 0xFF;
            audio[(i * FrameLength) + 1] = 0xE3;
            audio[(i * FrameLength) + 2] = 0x18;
            audio[(i * FrameLength) + 3] = 0xC4;
        }

        return audio;
    }
}

/// <summary>
/// A language model that summarises a book's text in 0.4 s + 1 s per 100 output tokens, answering plain prose of exactly the
/// target words (output tokens = words × 4/3). It knows no book from memory.
/// </summary>
internal sealed class ModelLlm(CallLog log, double perCallSeconds = 0.4, double tokensPerSecond = 100) : ILlmProvider
{
    public Task<BookOutline> OutlineAsync(BookContext book, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("The benchmark's documents have their own chapters: no outline is asked for.");

    public Task<ChapterSummary> SummarizeChapterAsync(BookContext book, ChapterHeading chapter, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("The benchmark's documents are summarised from their text.");

    public async Task<ChapterSummary> SummarizeTextAsync(BookContext book, TextSummaryRequest request, CancellationToken cancellationToken = default)
    {
        var start = log.Now;
        var text = Prose.Text((request.Chapter.Number * 1000) + (request.Part * 10) + (int)request.Scope, request.Words);
        var outputTokens = (int)Math.Ceiling(request.Words * 4 / 3.0);
        var nominal = perCallSeconds + (outputTokens / tokensPerSecond);
        await Task.Delay(TimeSpan.FromSeconds(nominal), cancellationToken);
        log.Add(new Call(start, log.Now, nominal, text, request.Chapter.Number, request.Scope));
        return new ChapterSummary(text, new LlmUsage(LlmTokens.Estimate(request.Text) + 300, outputTokens));
    }
}

/// <summary>Storage that keeps an uploaded document's files (<c>sources/…</c>) in memory and reads every other stream to the end, keeping only its length.</summary>
internal sealed class DocumentStorage : IStorageBackend
{
    private readonly ConcurrentDictionary<string, byte[]> _sources = new();
    private readonly ConcurrentDictionary<string, long> _lengths = new();

    public bool ServesDirectUrls => false;

    public async Task<StoredObject> SaveAsync(StorageKey key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        if (key.Value.StartsWith("sources/", StringComparison.Ordinal))
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken);
            _sources[key.Value] = copy.ToArray();
            return new StoredObject(key, key.Value, copy.Length);
        }

        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            length += read;
        }

        _lengths[key.Value] = length;
        return new StoredObject(key, key.Value, length);
    }

    public Task<Stream?> OpenReadAsync(StorageKey key, CancellationToken cancellationToken = default)
        => Task.FromResult<Stream?>(_sources.TryGetValue(key.Value, out var bytes) ? new MemoryStream(bytes, writable: false) : null);

    public Task<Uri> GetUrlAsync(StorageKey key, TimeSpan? expiry = null, CancellationToken cancellationToken = default) => Task.FromResult(new Uri("null:" + key.Value));

    public Task<bool> DeleteAsync(StorageKey key, CancellationToken cancellationToken = default)
        => Task.FromResult(_lengths.TryRemove(key.Value, out _) | _sources.TryRemove(key.Value, out _));

    public Task<int> DeleteUnderAsync(StorageKey folder, CancellationToken cancellationToken = default)
    {
        var under = _lengths.Keys.Concat(_sources.Keys).Where(k => k.StartsWith(folder.Value + "/", StringComparison.Ordinal)).Distinct().ToList();
        return Task.FromResult(under.Count(k => _lengths.TryRemove(k, out _) | _sources.TryRemove(k, out _)));
    }

    public Task<bool> ExistsAsync(StorageKey key, CancellationToken cancellationToken = default)
        => Task.FromResult(_sources.ContainsKey(key.Value) || _lengths.ContainsKey(key.Value));
}
