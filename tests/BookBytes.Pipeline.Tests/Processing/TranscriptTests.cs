using System.Text;
using BookBytes.AudioBooks;
using BookBytes.Documents;
using BookBytes.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.Pipeline.Tests.Transcripts;
using BookBytes.Pipeline.Text;
using BookBytes.Testing.Fakes;

namespace BookBytes.Pipeline.Tests.Processing;

/// <summary>Each spoken chapter's WebVTT transcript: stored beside its audio, timed from its chunks, or derived when missing.</summary>
public sealed class TranscriptTests
{
    private static async Task<(ProcessingStarted Started, Chapter Chapter)> SpeakOneChapterAsync(PipelineHarness node)
    {
        node.Llm.ChapterCount = 1;
        var started = await node.Processing.StartProcessingAsync(node.Catalog.Add("978-0-306-40615-7", "Signals and Noise"));
        var job = await node.WaitForJobAsync(started.Job.Id);
        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        return (started, (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.Chapters.Single());
    }

    private static string TranscriptKey(Chapter chapter) => Path.ChangeExtension(chapter.AudioKey!, "vtt");

    [Fact]
    public async Task A_spoken_chapter_has_its_transcript_stored_beside_its_audio_timed_by_its_chunks()
    {
        await using var node = await new PipelineHarness(o => o.Tts.ChunkCharacters = 120).StartAsync();

        var (started, chapter) = await SpeakOneChapterAsync(node);

        var key = TranscriptKey(chapter);
        key.Should().Be($"audiobooks/{started.AudioBook.Id:D}/v1/chapter-001.vtt");
        var (bytes, contentType) = node.Storage.Objects[key];
        contentType.Should().Be("text/vtt");
        var vtt = Encoding.UTF8.GetString(bytes);
        var cues = VttCue.Parse(vtt);
        VttCue.Words(string.Join(' ', cues.Select(c => c.Text))).Should().Equal(VttCue.Words(chapter.Summary!), "the cues say the chapter's summary, every word once, in order");
        cues[0].Start.Should().Be(0);
        cues[^1].End.Should().BeApproximately(chapter.DurationSeconds!.Value, 0.01);
        cues.Zip(cues.Skip(1)).Should().OnlyContain(p => p.First.End == p.Second.Start);

        // Each chunk's audio lasts as long as the fake made it; a cue starts where each chunk starts.
        var chunks = TextChunker.Split(chapter.Summary!, 120);
        chunks.Should().HaveCountGreaterThan(2);
        var boundary = 0.0;
        foreach (var chunk in chunks)
        {
            cues.Should().Contain(c => Math.Abs(c.Start - boundary) < 0.0006, "a chunk's first cue starts at {0:F3} s, the earlier chunks' audio", boundary);
            boundary += FakeTtsProvider.FramesFor(chunk.Length) * Mp3.FrameSeconds;
        }

        boundary.Should().BeApproximately(chapter.DurationSeconds.Value, 1e-6);
        (await node.Processing.GetTranscriptAsync(started.AudioBook.Id, 1)).Should().Be(vtt);
    }

    [Fact]
    public async Task A_chapter_stored_without_a_transcript_gets_one_derived_from_its_summary_over_its_whole_duration()
    {
        await using var node = await new PipelineHarness(o => o.Tts.ChunkCharacters = 120).StartAsync();
        var (started, chapter) = await SpeakOneChapterAsync(node);
        node.Storage.Objects.TryRemove(TranscriptKey(chapter), out _).Should().BeTrue();

        var vtt = await node.Processing.GetTranscriptAsync(started.AudioBook.Id, 1);

        var cues = VttCue.Parse(vtt!);
        VttCue.Words(string.Join(' ', cues.Select(c => c.Text))).Should().Equal(VttCue.Words(chapter.Summary!));
        cues[0].Start.Should().Be(0);
        cues[^1].End.Should().BeApproximately(chapter.DurationSeconds!.Value, 0.0006, "one span: the whole chapter's duration shared by characters");
        var characters = cues.Sum(c => c.Text.Length);
        cues.Should().OnlyContain(c => Math.Abs((c.End - c.Start) - (chapter.DurationSeconds.Value * c.Text.Length / characters)) < 0.01);
        node.Storage.Objects.Should().NotContainKey(TranscriptKey(chapter), "a derived transcript is not stored");
    }

    [Fact]
    public async Task A_narrated_chapter_stored_without_a_transcript_gets_one_derived_from_its_heading_and_text()
    {
        await using var node = await new PipelineHarness().StartAsync();
        string[] paragraphs = ["The first paragraph says one thing. It says it twice.", "The second paragraph says another."];
        var document = new BookDocument
        {
            Title = "My Own Book",
            Language = "en",
            Chapters = [new DocumentChapter(1, "The Only Chapter", 0, ChapterKind.Body, paragraphs)],
        };
        var edition = (await node.Processing.AddDocumentAsync(Encoding.UTF8.GetBytes("a narrated book"), "text/plain", document)).Edition;
        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration });
        (await node.WaitForJobAsync(started.Job.Id)).Status.Should().Be(JobStatus.Completed);
        var chapter = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.Chapters.Single();
        var stored = Encoding.UTF8.GetString(node.Storage.Objects[TranscriptKey(chapter)].Bytes);
        node.Storage.Objects.TryRemove(TranscriptKey(chapter), out _);

        var derived = await node.Processing.GetTranscriptAsync(started.AudioBook.Id, 1);

        var expected = VttCue.Words("The Only Chapter " + string.Join(' ', paragraphs));
        VttCue.Words(string.Join(' ', VttCue.Parse(stored).Select(c => c.Text))).Should().Equal(expected);
        var cues = VttCue.Parse(derived!);
        VttCue.Words(string.Join(' ', cues.Select(c => c.Text))).Should().Equal(expected);
        cues[^1].End.Should().BeApproximately(chapter.DurationSeconds!.Value, 0.0006);
    }

    [Fact]
    public async Task Transcripts_are_refused_for_unknown_chapters_and_absent_for_chapters_not_stored_yet()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var release = new TaskCompletionSource();
        node.Tts.Behavior = (request, _, ct) => request.Text.Contains(FakeLlmProvider.Marker(2), StringComparison.Ordinal) ? release.Task.WaitAsync(ct) : Task.CompletedTask;
        node.Llm.ChapterCount = 2;
        var started = await node.Processing.StartProcessingAsync(node.Catalog.Add("978-0-306-40615-7", "Signals and Noise"));
        await node.WaitUntilAsync(
            async () => (await node.Store.GetChaptersAsync(started.AudioBook.Id, 1)).Any(c => c.Number == 1 && c.Status == ChapterStatus.Completed),
            "chapter 1 to be stored while chapter 2 is being spoken");

        var notYet = await node.Processing.GetTranscriptAsync(started.AudioBook.Id, 2);
        var first = await node.Processing.GetTranscriptAsync(started.AudioBook.Id, 1);
        var unknownChapter = () => node.Processing.GetTranscriptAsync(started.AudioBook.Id, 99);
        var unknownBook = () => node.Processing.GetTranscriptAsync(Guid.NewGuid(), 1);

        notYet.Should().BeNull();
        first.Should().StartWith("WEBVTT\n");
        (await unknownChapter.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("chapterNumber");
        await unknownBook.Should().ThrowAsync<AudioBookNotFoundException>();
        release.SetResult();
        (await node.WaitForJobAsync(started.Job.Id)).Status.Should().Be(JobStatus.Completed);
        (await node.Processing.GetTranscriptAsync(started.AudioBook.Id, 2)).Should().Contain(FakeLlmProvider.Marker(2));
    }
}
