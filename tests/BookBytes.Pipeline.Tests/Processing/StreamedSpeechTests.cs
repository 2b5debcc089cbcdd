using System.Diagnostics.Metrics;
using System.Text.Json;
using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Stores;
using BookBytes.Testing.Fakes;

namespace BookBytes.Pipeline.Tests.Processing;

/// <summary>Speech while the text is written: streamed summaries, segments stored as they are spoken, and what happens when either breaks.</summary>
public class StreamedSpeechTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_streamed_summary_is_spoken_while_it_is_written_and_the_chapter_is_its_segments_joined()
    {
        await using var node = await new PipelineHarness(o =>
        {
            o.Summary.Words = 200;
            o.Tts.ChunkCharacters = 400;
        }).StartAsync();
        node.Llm.StreamPieceCharacters = 24;
        var spokenEarly = 0;
        node.Llm.PieceBehavior = async (_, _, piece, ct) =>
        {
            // Half-way through the summary, its first sentences must be with the speech provider already.
            if (piece == 25)
            {
                await node.WaitUntilAsync(() => Task.FromResult(node.Tts.Calls > 0), "speech before the summary ends");
                Interlocked.Increment(ref spokenEarly);
            }
        };
        node.Llm.ChapterCount = 1;
        var isbn = node.Catalog.Add("978-0-306-40615-7", "Signals and Noise");

        var started = await node.Processing.StartProcessingAsync(isbn);
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        spokenEarly.Should().Be(1);
        var chapter = (await node.Store.GetChaptersAsync(started.AudioBook.Id, 1)).Single();
        var requests = node.Tts.Requests.ToList();
        requests.Should().HaveCountGreaterThan(2);
        requests[0].Text.Length.Should().BeLessThan(150, "the first chunk is the chapter's first sentences, so sound starts early");
        requests.Should().OnlyContain(r => r.Text.Length <= 400);
        var ordered = requests.OrderBy(r => chapter.Summary!.IndexOf(r.Text, StringComparison.Ordinal)).ToList();
        ordered.Should().OnlyContain(r => chapter.Summary!.Contains(r.Text, StringComparison.Ordinal));
        string.Join(' ', ordered.Select(r => r.Text)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal(chapter.Summary!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), "every word is spoken once, in order");
        node.Storage.Objects[chapter.AudioKey!].Bytes.Should().Equal(ordered.SelectMany(r => FakeTtsProvider.AudioFor(r.Text)));
        node.Storage.Objects.Keys.Should().NotContain(k => k.Contains("/chapter-001/", StringComparison.Ordinal), "segments and their list go once the chapter is stored");
    }

    [Fact]
    public async Task A_streamed_summary_refused_at_its_end_has_its_audio_discarded_and_is_asked_again()
    {
        var discarded = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BookBytesDiagnostics.Name && instrument.Name == "bookbytes.summaries.discarded")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref discarded, value));
        listener.Start();

        await using var node = await new PipelineHarness(o => o.Tts.ChunkCharacters = 300).StartAsync();
        node.Llm.StreamPieceCharacters = 32;
        // The first answer is far too long (the check allows 30–120 words): refused at its end, after speech of it began.
        node.Llm.SummaryBehavior = (chapter, call, _) => Task.FromResult(call == 1 ? "[refused] " + FakeLlmProvider.SummaryText(chapter.Number, chapter.Title, 400).Replace("spoken slowly", "refused loudly", StringComparison.Ordinal) : null);
        node.Llm.PieceBehavior = async (_, call, piece, _) =>
        {
            if (call == 1 && piece == 40)
            {
                await node.WaitUntilAsync(() => Task.FromResult(node.Tts.CallsContaining("refused") > 0), "speech of the first answer");
            }
        };
        node.Llm.ChapterCount = 1;
        var isbn = node.Catalog.Add("978-0-306-40615-7", "Signals and Noise");

        var started = await node.Processing.StartProcessingAsync(isbn);
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Llm.SummaryCalls[1].Should().Be(2);
        node.Tts.CallsContaining("refused").Should().BeGreaterThan(0, "the refused answer was being spoken");
        Interlocked.Read(ref discarded).Should().Be(1);
        var chapter = (await node.Store.GetChaptersAsync(started.AudioBook.Id, 1)).Single();
        chapter.Summary.Should().NotContain("refused");
        var kept = node.Tts.Requests.Where(r => !r.Text.Contains("refused", StringComparison.Ordinal))
            .OrderBy(r => chapter.Summary!.IndexOf(r.Text, StringComparison.Ordinal))
            .ToList();
        node.Storage.Objects[chapter.AudioKey!].Bytes.Should().Equal(kept.SelectMany(r => FakeTtsProvider.AudioFor(r.Text)), "only the second answer is in the chapter");
        node.Storage.Objects.Keys.Should().NotContain(k => k.Contains("/segment", StringComparison.Ordinal), "the refused answer's segments were deleted");
        chapter.Usage.TtsCharacters.Should().Be(node.Tts.Requests.Sum(r => r.Text.Length), "the discarded speech was paid for and is counted");
    }

    [Fact]
    public async Task Speech_failing_for_good_while_the_summary_streams_fails_the_chapter_without_asking_the_summary_again()
    {
        await using var node = await new PipelineHarness(o =>
        {
            o.Summary.Words = 200;
            o.Tts.ChunkCharacters = 400;
            o.Tts.CallRetries = 0;
            o.Llm.CallRetries = 3;
            o.Jobs.MaxAttempts = 1;
        }).StartAsync();
        node.Llm.ChapterCount = 1;
        node.Llm.StreamPieceCharacters = 24;
        node.Tts.Behavior = (_, _, _) => throw new ProviderException("The speech service is overloaded.", isTransient: true) { StatusCode = 503 };
        // The rest of the summary comes only once a speech call has failed: the failure meets the stream half-way.
        node.Llm.PieceBehavior = (_, _, piece, _) => piece == 25
            ? node.WaitUntilAsync(() => Task.FromResult(node.Tts.Calls > 0), "a failed speech call")
            : Task.CompletedTask;
        var isbn = node.Catalog.Add("978-0-306-40615-7", "Signals and Noise");

        var started = await node.Processing.StartProcessingAsync(isbn);
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Failed);
        node.Llm.SummaryCalls[1].Should().Be(1, "the speech failed, not the summary: it is not asked for again");
        var chapter = (await node.Store.GetChaptersAsync(started.AudioBook.Id, 1)).Single();
        chapter.Status.Should().Be(ChapterStatus.Failed);
        chapter.ErrorMessage.Should().Be("The speech service is overloaded.");
    }

    [Fact]
    public async Task After_a_crash_mid_chapter_its_stored_segments_are_kept_and_only_the_rest_is_spoken()
    {
        var store = new InMemoryBookBytesStore();
        var storage = new InMemoryStorageBackend();
        var catalog = new FakeBookCatalog();
        var isbn = catalog.Add("978-0-306-40615-7", "Signals and Noise");
        void Options(BookBytesOptions o)
        {
            o.Summary.Words = 200;
            o.Tts.ChunkCharacters = 300;
            o.Tts.MaxConcurrency = 1;
            o.Jobs.ShutdownTimeout = TimeSpan.FromMilliseconds(100);
        }

        var first = await new PipelineHarness(Options, store, storage, catalog).StartAsync();
        first.Llm.ChapterCount = 1;
        first.Tts.Behavior = (_, call, ct) => call <= 2 ? Task.CompletedTask : Task.Delay(Timeout.Infinite, ct);
        var started = await first.Processing.StartProcessingAsync(isbn);
        var manifestKey = $"audiobooks/{started.AudioBook.Id:D}/v1/chapter-001/segments.json";
        await first.WaitUntilAsync(() => Task.FromResult(first.Tts.Calls >= 3 && ManifestTexts(storage, manifestKey).Count == 2), "two segments stored and the third call hanging");

        // The node goes away mid-chapter: its hanging call is cut off, nothing more is recorded.
        await first.StopAsync();
        var keptTexts = ManifestTexts(storage, manifestKey);
        var summarized = (await store.GetChaptersAsync(started.AudioBook.Id, 1)).Single();
        summarized.Status.Should().Be(ChapterStatus.Summarized);

        await using var second = await new PipelineHarness(Options, store, storage, catalog).StartAsync();
        var job = await second.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        second.Llm.TotalSummaryCalls.Should().Be(0, "the stored summary is not asked for again");
        foreach (var text in keptTexts)
        {
            second.Tts.Requests.Should().NotContain(r => r.Text == text, "a stored segment is never spoken again");
        }

        var chapter = (await store.GetChaptersAsync(started.AudioBook.Id, 1)).Single();
        var pieces = keptTexts.Concat(second.Tts.Requests.Select(r => r.Text)).OrderBy(t => chapter.Summary!.IndexOf(t, StringComparison.Ordinal)).ToList();
        string.Join(' ', pieces).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal(chapter.Summary!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), "the kept and the new chunks say the chapter once, in order");
        storage.Objects[chapter.AudioKey!].Bytes.Should().Equal(pieces.SelectMany(FakeTtsProvider.AudioFor));
        await first.DisposeAsync();
    }

    private static List<string> ManifestTexts(InMemoryStorageBackend storage, string key)
    {
        if (!storage.Objects.TryGetValue(key, out var manifest))
        {
            return [];
        }

        using var document = JsonDocument.Parse(manifest.Bytes);
        return [.. document.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("text").GetString()!)];
    }
}
