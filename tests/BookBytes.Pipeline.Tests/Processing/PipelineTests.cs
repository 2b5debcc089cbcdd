using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.Pipeline.Stores;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.Pipeline.Tests.Processing;

public class PipelineTests
{
    private static async Task<(PipelineHarness Node, ProcessingStarted Started)> StartBookAsync(
        PipelineHarness node, int chapters = 3, IReadOnlyList<TableOfContentsEntry>? toc = null)
    {
        node.Llm.ChapterCount = chapters;
        var isbn = node.Catalog.Add("978-0-306-40615-7", "Signals and Noise", toc);
        var started = await node.Processing.StartProcessingAsync(isbn);
        return (node, started);
    }

    [Fact]
    public async Task Happy_path_stores_every_chapter_and_reports_progress_in_order()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var (_, started) = await StartBookAsync(node, chapters: 4);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Progress.Should().Be(100);
        job.Attempt.Should().Be(1);
        job.Usage.Llm.OutputTokens.Should().Be(50 + (4 * 700));
        job.Usage.TtsCharacters.Should().BeGreaterThan(0);
        var progress = node.Jobs.ProgressOf(job.Id);
        progress.Should().BeInAscendingOrder().And.StartWith(5).And.EndWith(100).And.Contain(20);
        progress.Should().Contain(p => p > 50 && p < 100).And.Contain(p => p > 80 && p < 100);

        var details = await node.Processing.GetAudioBookAsync(started.AudioBook.Id);
        details!.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        details.AudioBook.Voice.Should().Be("alloy");
        details.Edition.Title.Should().Be("Signals and Noise");
        details.Chapters.Should().HaveCount(4).And.OnlyContain(c => c.Status == ChapterStatus.Completed);
        foreach (var chapter in details.Chapters)
        {
            chapter.AudioKey.Should().Be($"audiobooks/{started.AudioBook.Id}/v1/chapter-{chapter.Number:D3}.mp3");
            var stored = node.Storage.Objects[chapter.AudioKey!];
            stored.ContentType.Should().Be("audio/mpeg");
            stored.Bytes.Should().Equal(FakeTtsProvider.AudioFor(chapter.Summary!));
            chapter.AudioSizeBytes.Should().Be(stored.Bytes.Length);
            chapter.DurationSeconds.Should().BeApproximately(stored.Bytes.Length / 417 * Mp3.FrameSeconds, 1e-6);
            chapter.WordCount.Should().BeInRange(30, 120);
            chapter.Summary.Should().Contain(FakeLlmProvider.Marker(chapter.Number));
        }

        details.AudioBook.TotalDurationSeconds.Should().BeApproximately(details.Chapters.Sum(c => c.DurationSeconds!.Value), 1e-6);
        node.Tts.Requests.Should().OnlyContain(r => r.Voice == "alloy" && r.Format == AudioFormat.Mp3);
        node.Llm.OutlineCalls.Should().Be(1);
        node.Llm.Books.Single().Should().BeEquivalentTo(new { Title = "Signals and Noise", Language = "en", SummaryWords = 60, KnownChapterTitles = (IReadOnlyList<string>?)null });
    }

    [Fact]
    public async Task A_known_table_of_contents_skips_the_outline_call()
    {
        await using var node = await new PipelineHarness().StartAsync();
        TableOfContentsEntry[] toc =
        [
            new("Preface", 0, null, "ix", IsFrontOrBackMatter: true),
            new("The Beginning", 0, "1", "1"),
            new("A detail", 1, "1.1", "3"),
            new("  ", 0),
            new("The End", 0, "2", "40"),
            new("Index", 0, null, "99", IsFrontOrBackMatter: true),
        ];
        var (_, started) = await StartBookAsync(node, toc: toc);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Llm.OutlineCalls.Should().Be(0);
        var chapters = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.Chapters;
        chapters.Select(c => (c.Number, c.Title)).Should().Equal((1, "The Beginning"), (2, "The End"));
        node.Llm.SummaryCalls.Keys.Should().BeEquivalentTo([1, 2]);
    }

    [Fact]
    public async Task An_invalid_outline_is_asked_for_again()
    {
        await using var node = await new PipelineHarness().StartAsync();
        node.Llm.OutlineOverride = call => call == 1
            ? new BookOutline(true, [new(1, "One"), new(3, "Three")], default)
            : null;
        var (_, started) = await StartBookAsync(node);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Llm.OutlineCalls.Should().Be(2);
        job.Attempt.Should().Be(1);
    }

    [Fact]
    public async Task An_unknown_book_fails_the_job_for_good_without_retrying()
    {
        await using var node = await new PipelineHarness().StartAsync();
        node.Llm.OutlineOverride = _ => new BookOutline(false, [], default);
        var (_, started) = await StartBookAsync(node);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Failed);
        job.ErrorCode.Should().Be(ErrorCodes.BookNotKnown);
        job.Attempt.Should().Be(1);
        node.Llm.OutlineCalls.Should().Be(1);
        var book = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.AudioBook;
        book.Status.Should().Be(AudioBookStatus.Failed);
        book.ErrorMessage.Should().Contain("Signals and Noise");
    }

    [Theory]
    [InlineData("too short")]
    [InlineData("markdown")]
    public async Task An_invalid_summary_is_asked_for_again(string fault)
    {
        await using var node = await new PipelineHarness().StartAsync();
        node.Llm.SummaryBehavior = (chapter, call, _) => Task.FromResult(chapter.Number == 2 && call == 1
            ? fault == "too short" ? "Too short." : "# Heading\n\n" + FakeLlmProvider.SummaryText(2, chapter.Title, 60)
            : null);
        var (_, started) = await StartBookAsync(node);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Llm.SummaryCalls[2].Should().Be(2);
        node.Llm.SummaryCalls[1].Should().Be(1);
        var chapters = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.Chapters;
        chapters[1].Summary.Should().NotContain("#").And.Contain(FakeLlmProvider.Marker(2));
        chapters[1].Usage.Llm.OutputTokens.Should().Be(2 * 700, "the refused answer was paid for too");
        chapters[0].Usage.Llm.OutputTokens.Should().Be(700);
        job.Usage.Llm.OutputTokens.Should().Be(50 + (4 * 700), "the outline, three summaries and the refused one");
    }

    [Fact]
    public async Task Chapters_flow_independently_and_finish_out_of_order_while_progress_stays_monotonic()
    {
        await using var node = await new PipelineHarness(o => o.Llm.MaxConcurrency = 4).StartAsync();
        var releaseFirst = new TaskCompletionSource();
        node.Llm.SummaryBehavior = async (chapter, _, ct) =>
        {
            if (chapter.Number == 1)
            {
                await releaseFirst.Task.WaitAsync(ct);
            }

            return null;
        };
        var (_, started) = await StartBookAsync(node, chapters: 4);

        await node.WaitUntilAsync(
            async () => (await node.Store.GetChaptersAsync(started.AudioBook.Id, 1)).Count(c => c.Status == ChapterStatus.Completed) == 3,
            "chapters 2-4 to be stored while chapter 1 is still being summarised");
        var whileWaiting = await node.Processing.GetAudioBookAsync(started.AudioBook.Id);
        releaseFirst.SetResult();
        var job = await node.WaitForJobAsync(started.Job.Id);

        whileWaiting!.Chapters[0].Status.Should().Be(ChapterStatus.Pending);
        whileWaiting.Chapters.Skip(1).Should().OnlyContain(c => c.Status == ChapterStatus.Completed && c.AudioKey != null);
        job.Status.Should().Be(JobStatus.Completed);
        node.Tts.Requests.Last().Text.Should().Contain(FakeLlmProvider.Marker(1));
        node.Jobs.ProgressOf(job.Id).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task A_chapter_whose_speech_call_fails_is_redone_alone_by_the_job_retry()
    {
        // Without call retries at the step, the job's retry is what redoes the chapter.
        await using var node = await new PipelineHarness(o => o.Tts.CallRetries = 0).StartAsync();
        var failures = 0;
        node.Tts.Behavior = (request, _, _) =>
            request.Text.Contains(FakeLlmProvider.Marker(2), StringComparison.Ordinal) && Interlocked.Increment(ref failures) == 1
                ? throw new ProviderException("503 from the speech API", isTransient: true)
                : Task.CompletedTask;
        var (_, started) = await StartBookAsync(node);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Attempt.Should().Be(2, "with no call retries the job's retry comes next");
        node.Tts.CallsContaining(FakeLlmProvider.Marker(2)).Should().Be(2);
        node.Tts.CallsContaining(FakeLlmProvider.Marker(1)).Should().Be(1);
        node.Tts.CallsContaining(FakeLlmProvider.Marker(3)).Should().Be(1);
        node.Llm.SummaryCalls.Values.Should().OnlyContain(n => n == 1);
    }

    [Fact]
    public async Task Transient_failures_of_summaries_and_speech_are_retried_where_they_happened_and_the_book_completes_on_its_first_attempt()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var speechFailures = 0;
        var summaryFailures = 0;
        node.Tts.Behavior = (request, _, _) =>
            request.Text.Contains(FakeLlmProvider.Marker(2), StringComparison.Ordinal) && Interlocked.Increment(ref speechFailures) <= 3
                ? throw new ProviderException("429 from the speech API", isTransient: true) { StatusCode = 429, RetryAfter = TimeSpan.FromMilliseconds(10) }
                : Task.CompletedTask;
        node.Llm.SummaryBehavior = (chapter, _, _) => chapter.Number == 3 && Interlocked.Increment(ref summaryFailures) <= 2
            ? throw new ProviderException("500 from the chat API", isTransient: true) { StatusCode = 500 }
            : Task.FromResult<string?>(null);
        var (_, started) = await StartBookAsync(node);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Attempt.Should().Be(1, "no chapter failed: each failed call was retried where it failed");
        node.Tts.CallsContaining(FakeLlmProvider.Marker(2)).Should().Be(4);
        node.Tts.CallsContaining(FakeLlmProvider.Marker(1)).Should().Be(1);
        node.Llm.SummaryCalls[3].Should().Be(3);
        node.Jobs.Progress.Should().Contain(p => p.JobId == started.Job.Id && p.Step.Contains("Speech of chapter 2: HTTP 429, retry 1 of 6", StringComparison.Ordinal),
            "a retry shows in the job's current step as it happens");
    }

    [Fact]
    public async Task A_job_retry_speaks_only_the_chunks_its_failed_attempt_did_not_keep()
    {
        await using var node = await new PipelineHarness(o =>
        {
            o.Tts.ChunkCharacters = 120;
            o.Tts.CallRetries = 0;
        }).StartAsync();
        var failed = 0;
        node.Tts.Behavior = (request, call, _) => call == 3 && Interlocked.Increment(ref failed) == 1
            ? throw new ProviderException("503 from the speech API", isTransient: true)
            : Task.CompletedTask;
        var (_, started) = await StartBookAsync(node, chapters: 1);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Attempt.Should().Be(2);
        var texts = node.Tts.Requests.Select(r => r.Text).ToList();
        texts.Count.Should().BeLessThanOrEqualTo(texts.Distinct().Count() + 1 + 2, "besides the failed call only chunks in flight with it may be spoken twice");
        node.Storage.Objects.Keys.Should().NotContain(k => k.Contains("/segment-", StringComparison.Ordinal), "segments go once the chapter is stored");
    }

    [Fact]
    public async Task A_format_that_cannot_be_joined_fails_the_job_at_once_as_a_configuration_error()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.MaxAttempts = 3).StartAsync();
        node.Tts.Capabilities = new TtsCapabilities(200, ["alloy"], [AudioFormat.Opus], AcceptsOtherVoices: false, DefaultVoice: "alloy", DefaultFormat: AudioFormat.Opus);
        var (_, started) = await StartBookAsync(node, chapters: 2);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Failed);
        job.ErrorCode.Should().Be(ErrorCodes.ProviderConfiguration);
        job.ErrorMessage.Should().Contain("cannot be joined");
        job.Attempt.Should().Be(1, "a setting will not fix itself on a retry");
        node.Tts.Calls.Should().Be(0);
    }

    [Fact]
    public async Task A_voice_the_provider_does_not_list_and_then_refuses_fails_the_job_before_any_summary_is_bought()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.MaxAttempts = 3).StartAsync();
        node.Tts.Behavior = (request, _, _) => request.Voice == "robot"
            ? throw new ProviderException("Speech synthesis failed with HTTP 400: unknown voice 'robot'.", isTransient: false) { StatusCode = 400 }
            : Task.CompletedTask;
        node.Llm.ChapterCount = 2;
        var isbn = node.Catalog.Add("9780262033848", "Algorithms");
        var started = await node.Processing.StartProcessingAsync(isbn, "robot");

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Failed);
        job.ErrorCode.Should().Be(ErrorCodes.VoiceUnknown);
        job.ErrorMessage.Should().Contain("'robot'").And.Contain("unknown voice 'robot'");
        job.Attempt.Should().Be(1, "a missing voice will not appear on a retry");
        node.Llm.OutlineCalls.Should().Be(0);
        node.Llm.TotalSummaryCalls.Should().Be(0, "nothing is bought before the voice is proven");
        node.Tts.Requests.Should().ContainSingle().Which.Text.Should().Be("Algorithms");
        (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.AudioBook.Status.Should().Be(AudioBookStatus.Failed);
    }

    [Fact]
    public async Task A_first_speech_call_failing_for_another_reason_fails_the_job_early_with_its_own_error()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.MaxAttempts = 3).StartAsync();
        node.Tts.Behavior = (_, _, _) => throw new ProviderException("Speech synthesis was rejected with HTTP 404: no such model. Check BookBytes:OpenAI:SpeechModel.", isTransient: false) { StatusCode = 404 };
        node.Llm.ChapterCount = 2;
        var started = await node.Processing.StartProcessingAsync(node.Catalog.Add("9780262033848", "Algorithms"), "af_bella");

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Failed);
        job.ErrorCode.Should().Be(ErrorCodes.ProviderFailed, "a wrong model is not an unknown voice");
        job.ErrorMessage.Should().Contain("SpeechModel");
        node.Llm.TotalSummaryCalls.Should().Be(0);
    }

    [Fact]
    public async Task A_listed_voice_is_kept_as_the_provider_spells_it()
    {
        await using var node = new PipelineHarness();
        node.Tts.Capabilities = node.Tts.Capabilities with { AcceptsOtherVoices = false };

        var started = await node.Processing.StartProcessingAsync(node.Catalog.Add("9780262033848", "Algorithms"), "NOVA");

        started.AudioBook.Voice.Should().Be("nova");
    }

    [Fact]
    public async Task A_voice_the_provider_lists_is_not_checked_and_an_unlisted_one_it_has_costs_one_short_call()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var (_, listed) = await StartBookAsync(node, chapters: 2);
        (await node.WaitForJobAsync(listed.Job.Id)).Status.Should().Be(JobStatus.Completed);
        node.Tts.Requests.Should().NotContain(r => r.Text == "Signals and Noise", "a listed voice needs no proof");
        var spokenBefore = node.Tts.Calls;
        var isbn = node.Catalog.Add("9780262033848", "A Custom Voice");

        var started = await node.Processing.StartProcessingAsync(isbn, "af_bella");
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        var calls = node.Tts.Requests.Skip(spokenBefore).ToList();
        calls[0].Should().Be(new SpeechRequest("A Custom Voice", "af_bella", AudioFormat.Mp3), "the voice is proven first");
        calls.Skip(1).Should().NotBeEmpty().And.OnlyContain(r => r.Voice == "af_bella");
    }

    [Fact]
    public async Task A_forced_refresh_that_fails_before_it_starts_leaves_the_served_version_as_it_was()
    {
        var store = new InMemoryBookBytesStore();
        var storage = new InMemoryStorageBackend();
        var catalog = new FakeBookCatalog();
        BookBytes.Pipeline.Processing.ProcessingStarted started;
        await using (var first = await new PipelineHarness(store: store, storage: storage, catalog: catalog).StartAsync())
        {
            (_, started) = await StartBookAsync(first, chapters: 2);
            await first.WaitForJobAsync(started.Job.Id);
        }

        // As when the job kills its workers, before it ever recorded its pending version: two workers claimed it
        // and died (their leases ran out); this node rescues a job at most once.
        var payload = new AudioBookJobPayload(started.AudioBook.Id, Force: true, TargetVersion: 2);
        var refresh = await store.EnqueueLinkedJobAsync(started.AudioBook.Id, new NewJob(JobKind.AudiobookRefresh, payload.ToJson(), MaxAttempts: 1));
        for (var death = 0; death < 2; death++)
        {
            (await store.ClaimNextAsync("died", TimeSpan.FromMilliseconds(1)))!.Job.Id.Should().Be(refresh.Id);
            await Task.Delay(20);
        }

        await using var second = await new PipelineHarness(o => o.Jobs.MaxRescues = 1, store: store, storage: storage, catalog: catalog).StartAsync();

        var job = await second.WaitForJobAsync(refresh.Id);

        job.Status.Should().Be(JobStatus.Failed);
        second.Llm.OutlineCalls.Should().Be(0, "an abandoned job's work is not started again");
        var book = await store.GetAudioBookAsync(started.AudioBook.Id);
        book!.Status.Should().Be(AudioBookStatus.Completed, "version 1 is still served whole");
        job.ErrorCode.Should().Be(ErrorCodes.JobAbandoned);
        job.Attempt.Should().Be(1, "the crashes did not use up its one attempt");
        book.ErrorMessage.Should().StartWith("The new version could not be built: The job's worker died while running it 2 times");
    }

    [Fact]
    public async Task A_job_failing_for_good_after_some_chapters_were_stored_leaves_a_partial_audiobook()
    {
        await using var node = await new PipelineHarness(o => o.Summary.Words = 100).StartAsync();
        // Opus cannot be joined: a chapter that fits one speech call is stored, one that needs two fails the job.
        node.Tts.Capabilities = new TtsCapabilities(400, ["alloy"], [AudioFormat.Opus], AcceptsOtherVoices: false, DefaultVoice: "alloy", DefaultFormat: AudioFormat.Opus);
        node.Llm.SummaryBehavior = async (chapter, _, _) =>
        {
            if (chapter.Number == 1)
            {
                return FakeLlmProvider.SummaryText(1, chapter.Title, 55);
            }

            // Chapter 2's fatal error cancels chapters in flight, so it comes once chapter 1 is stored.
            await node.WaitUntilAsync(() => Task.FromResult(node.Storage.Objects.Keys.Any(k => k.EndsWith("/chapter-001.opus", StringComparison.Ordinal))), "chapter 1 to be stored");
            return null;
        };
        var (_, started) = await StartBookAsync(node, chapters: 2);

        var job = await node.WaitForJobAsync(started.Job.Id);
        var book = await node.Processing.GetAudioBookAsync(started.AudioBook.Id);

        job.ErrorCode.Should().Be(ErrorCodes.ProviderConfiguration);
        book!.Chapters.Should().Contain(c => c.Status == ChapterStatus.Completed);
        book.AudioBook.Status.Should().Be(AudioBookStatus.PartiallyCompleted, "a stored chapter can be played");
    }

    [Fact]
    public async Task A_book_whose_every_chapter_fails_is_failed_not_partial()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.MaxAttempts = 1).StartAsync();
        node.Tts.Behavior = (_, _, _) => throw new ProviderException("The speech API is down", isTransient: true);
        var (_, started) = await StartBookAsync(node, chapters: 2);

        var job = await node.WaitForJobAsync(started.Job.Id);
        var book = await node.Processing.GetAudioBookAsync(started.AudioBook.Id);

        job.ErrorCode.Should().Be(ErrorCodes.ChaptersFailed);
        book!.AudioBook.Status.Should().Be(AudioBookStatus.Failed, "no chapter can be played");
        book.AudioBook.ErrorMessage.Should().Contain("The speech API is down");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_forced_refresh_that_fails_leaves_the_served_version_playable_and_its_status_as_it_was(bool failTheOutline)
    {
        await using var node = await new PipelineHarness(o => o.Jobs.MaxAttempts = 1).StartAsync();
        var (_, started) = await StartBookAsync(node, chapters: 2);
        await node.WaitForJobAsync(started.Job.Id);
        if (failTheOutline)
        {
            node.Llm.OutlineOverride = _ => new BookOutline(false, [], LlmUsage.Zero);
        }
        else
        {
            node.Tts.Behavior = (_, _, _) => throw new ProviderException("The speech API is down", isTransient: true);
        }

        var refresh = await node.Processing.RefreshAsync(started.AudioBook.Id, force: true);
        var job = await node.WaitForJobAsync(refresh.Job.Id);
        var book = await node.Processing.GetAudioBookAsync(started.AudioBook.Id);

        job.Status.Should().Be(JobStatus.Failed);
        book!.AudioBook.Status.Should().Be(AudioBookStatus.Completed, "version 1 is still served whole");
        book.AudioBook.Version.Should().Be(1);
        book.AudioBook.PendingVersion.Should().Be(2, "a later forced refresh carries the new version on");
        book.AudioBook.ErrorMessage.Should().StartWith("The new version could not be");
        book.Chapters.Should().HaveCount(2).And.OnlyContain(c => c.Status == ChapterStatus.Completed && node.Storage.Objects.ContainsKey(c.AudioKey!));
    }

    [Fact]
    public async Task A_chapter_failing_for_good_leaves_a_partial_audiobook_and_a_refresh_redoes_only_that_chapter()
    {
        await using var node = await new PipelineHarness(o =>
        {
            o.Jobs.MaxAttempts = 2;
            o.Tts.CallRetries = 0;
        }).StartAsync();
        var broken = true;
        node.Tts.Behavior = (request, _, _) =>
            broken && request.Text.Contains(FakeLlmProvider.Marker(2), StringComparison.Ordinal)
                ? throw new ProviderException("The speech API is down", isTransient: true)
                : Task.CompletedTask;
        var (_, started) = await StartBookAsync(node);

        var failed = await node.WaitForJobAsync(started.Job.Id);
        var partial = await node.Processing.GetAudioBookAsync(started.AudioBook.Id);
        var speechCallsBefore = node.Tts.Calls;
        broken = false;
        var refresh = await node.Processing.RefreshAsync(started.AudioBook.Id, force: false);
        var refreshed = await node.WaitForJobAsync(refresh.Job.Id);
        var complete = await node.Processing.GetAudioBookAsync(started.AudioBook.Id);

        failed.Status.Should().Be(JobStatus.Failed);
        failed.Attempt.Should().Be(2);
        failed.ErrorCode.Should().Be(ErrorCodes.ChaptersFailed);
        failed.ErrorMessage.Should().Contain("Chapter 2 failed").And.Contain("The speech API is down");
        partial!.AudioBook.Status.Should().Be(AudioBookStatus.PartiallyCompleted);
        partial.Chapters.Select(c => c.Status).Should().Equal(ChapterStatus.Completed, ChapterStatus.Failed, ChapterStatus.Completed);
        partial.Chapters[1].ErrorMessage.Should().Contain("The speech API is down");
        partial.Chapters[1].Summary.Should().NotBeNull("the summary is kept for the retry");
        speechCallsBefore.Should().Be(1 + 2 + 1, "each attempt tries chapter 2 once; chapters 1 and 3 are spoken once");

        refreshed.Status.Should().Be(JobStatus.Completed, refreshed.ErrorMessage);
        refresh.Job.Type.Should().Be(JobKind.AudiobookRefresh);
        node.Tts.Calls.Should().Be(speechCallsBefore + 1, "only chapter 2 is synthesized again");
        node.Tts.Requests.Last().Text.Should().Contain(FakeLlmProvider.Marker(2));
        node.Llm.SummaryCalls.Values.Should().OnlyContain(n => n == 1, "a stored summary is never asked for again");
        complete!.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        complete.AudioBook.ErrorMessage.Should().BeNull();
        complete.Chapters.Should().OnlyContain(c => c.Status == ChapterStatus.Completed);
    }

    [Fact]
    public async Task A_forced_refresh_builds_a_new_version_and_deletes_the_old_files_once_it_is_complete()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var (_, started) = await StartBookAsync(node, chapters: 2);
        await node.WaitForJobAsync(started.Job.Id);
        var oldKeys = node.Storage.Objects.Keys.ToList();
        var gate = new TaskCompletionSource();
        node.Tts.Behavior = (_, _, ct) => gate.Task.WaitAsync(ct);

        var refresh = await node.Processing.RefreshAsync(started.AudioBook.Id, force: true);
        await node.WaitUntilAsync(async () => node.Tts.Requests.Count > 2, "the new version's speech to start");
        var during = await node.Processing.GetAudioBookAsync(started.AudioBook.Id);
        gate.SetResult();
        var job = await node.WaitForJobAsync(refresh.Job.Id);
        var after = await node.Processing.GetAudioBookAsync(started.AudioBook.Id);

        during!.AudioBook.Version.Should().Be(1);
        during.AudioBook.PendingVersion.Should().Be(2);
        during.Chapters.Should().OnlyContain(c => c.Status == ChapterStatus.Completed, "the old version stays readable");
        oldKeys.Should().OnlyContain(k => node.Storage.Objects.ContainsKey(k) == false, "old files go once the new version is complete");
        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        after!.AudioBook.Version.Should().Be(2);
        after.AudioBook.PendingVersion.Should().BeNull();
        after.Chapters.Should().OnlyContain(c => c.Version == 2 && c.AudioKey!.Contains("/v2/", StringComparison.Ordinal));
        node.Storage.Objects.Keys.Should().OnlyContain(k => k.Contains("/v2/", StringComparison.Ordinal)).And.HaveCount(4, "each new chapter is stored with its transcript");
        (await node.Store.GetChaptersAsync(started.AudioBook.Id, 1)).Should().BeEmpty();
        node.Llm.OutlineCalls.Should().Be(2);
        node.Llm.SummaryCalls.Values.Should().OnlyContain(n => n == 2);
    }

    [Fact]
    public async Task Two_refreshes_at_once_start_one_job_and_a_forced_one_builds_the_next_version_once()
    {
        await using var node = new PipelineHarness();
        var (_, started) = await StartBookAsync(node);
        var generation = await node.Store.ClaimNextAsync("test", TimeSpan.FromMinutes(1));
        await node.Store.CompleteAsync(generation!.Lease);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (await node.Processing.RefreshAsync(started.AudioBook.Id, force: true)).Job;
            }
            catch (JobInProgressException)
            {
                return null;
            }
        })));
        var refused = await node.Store.GetAudioBookAsync(started.AudioBook.Id);
        await node.StartAsync();
        var job = await node.WaitForJobAsync(results.OfType<Job>().Single().Id);
        var built = await node.Store.GetAudioBookAsync(started.AudioBook.Id);

        results.OfType<Job>().Should().ContainSingle();
        refused!.PendingVersion.Should().BeNull("the refused refreshes wrote nothing");
        (await node.Store.GetJobIdsForAudioBookAsync(started.AudioBook.Id)).Should().HaveCount(2);
        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        built!.Version.Should().Be(2);
        built.PendingVersion.Should().BeNull();
    }

    [Fact]
    public async Task A_second_request_for_the_same_edition_names_the_existing_audiobook()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var (_, started) = await StartBookAsync(node);

        var act = () => node.Processing.StartProcessingAsync(Isbn.Parse("0306406152"));
        var byEdition = () => node.Processing.StartProcessingAsync(started.AudioBook.EditionId);

        (await act.Should().ThrowAsync<AudioBookExistsException>()).Which.ExistingAudioBookId.Should().Be(started.AudioBook.Id);
        (await byEdition.Should().ThrowAsync<AudioBookExistsException>()).Which.ExistingAudioBookId.Should().Be(started.AudioBook.Id);
        node.Catalog.Lookups.Should().Be(1, "the second lookup is served from the store");
    }

    [Fact]
    public async Task A_refresh_while_a_job_is_pending_is_refused()
    {
        await using var node = new PipelineHarness();
        var (_, started) = await StartBookAsync(node);

        var act = () => node.Processing.RefreshAsync(started.AudioBook.Id);

        (await act.Should().ThrowAsync<JobInProgressException>()).Which.JobId.Should().Be(started.Job.Id);
        await FluentActions.Awaiting(() => node.Processing.RefreshAsync(Guid.NewGuid())).Should().ThrowAsync<AudioBookNotFoundException>();
    }

    [Fact]
    public async Task Unknown_books_editions_and_voices_are_refused_clearly()
    {
        await using var node = new PipelineHarness();
        node.Tts.Capabilities = node.Tts.Capabilities with { AcceptsOtherVoices = false };

        await FluentActions.Awaiting(() => node.Processing.StartProcessingAsync(Isbn.Parse("9780262033848"))).Should().ThrowAsync<BookNotFoundException>();
        await FluentActions.Awaiting(() => node.Processing.StartProcessingAsync(Guid.NewGuid())).Should().ThrowAsync<EditionNotFoundException>();
        var isbn = node.Catalog.Add("9780262033848", "Algorithms");
        var unknown = (await FluentActions.Awaiting(() => node.Processing.StartProcessingAsync(isbn, "unknown-voice")).Should().ThrowAsync<VoiceUnknownException>()).Which;
        unknown.Message.Should().Contain("alloy, nova");
        unknown.ErrorCode.Should().Be(ErrorCodes.VoiceUnknown);
        unknown.KnownVoices.Should().Equal("alloy", "nova");
        (await FluentActions.Awaiting(() => node.Processing.StartProcessingAsync(isbn, "bad voice!")).Should().ThrowAsync<ArgumentException>())
            .Which.ParamName.Should().Be("voice");
        (await node.Processing.StartProcessingAsync(isbn, "nova")).AudioBook.Voice.Should().Be("nova");
    }

    [Fact]
    public async Task Without_providers_processing_is_refused_naming_the_missing_contracts()
    {
        await using var node = new PipelineHarness(providers: false);
        var isbn = node.Catalog.Add("9780262033848", "Algorithms");

        var act = () => node.Processing.StartProcessingAsync(isbn);

        (await act.Should().ThrowAsync<ProviderNotConfiguredException>()).Which.Message.Should().Contain("ILlmProvider").And.Contain("ITtsProvider");
        (await node.Processing.LookupAsync(isbn)).Title.Should().Be("Algorithms", "lookups work without providers");
    }

    [Fact]
    public async Task A_chinese_book_with_summaries_of_the_asked_length_is_accepted()
    {
        await using var node = await new PipelineHarness(o => o.Summary.Words = 100).StartAsync();
        // About 150 characters per summary: 100 words of Chinese. Counted as runs between spaces it would be one word.
        node.Llm.SummaryBehavior = (chapter, _, _) => Task.FromResult<string?>(
            string.Concat(Enumerable.Repeat($"{FakeLlmProvider.Marker(chapter.Number)}狐狸先生每天晚上都会去三个农场偷鸡和鸭子。", 7)));
        var (_, started) = await StartBookAsync(node, chapters: 2);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Llm.SummaryCalls.Values.Should().OnlyContain(n => n == 1, "each summary was accepted at once");
        (await node.Store.GetChaptersAsync(started.AudioBook.Id, 1)).Should().OnlyContain(c => c.WordCount >= 50 && c.WordCount <= 200);
    }

    [Fact]
    public async Task Without_providers_refreshing_an_unknown_audiobook_is_still_not_found()
    {
        await using var node = new PipelineHarness(providers: false);

        var act = () => node.Processing.RefreshAsync(Guid.NewGuid());

        await act.Should().ThrowAsync<AudioBookNotFoundException>();
    }

    [Fact]
    public async Task An_audiobook_left_without_a_job_by_an_interrupted_start_gets_its_job_when_asked_again()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var isbn = node.Catalog.Add("9780262033848", "Algorithms");
        var edition = await node.Processing.LookupAsync(isbn);
        var orphan = new AudioBook
        {
            Id = Guid.CreateVersion7(),
            EditionId = edition.Id,
            Status = AudioBookStatus.Pending,
            Voice = "nova",
            CreatedAt = node.Time.GetUtcNow(),
            UpdatedAt = node.Time.GetUtcNow(),
        };
        await node.Store.CreateAudioBookAsync(orphan);

        var resumed = await node.Processing.StartProcessingAsync(isbn);
        var job = await node.WaitForJobAsync(resumed.Job.Id);
        var again = () => node.Processing.StartProcessingAsync(isbn);

        resumed.AudioBook.Id.Should().Be(orphan.Id);
        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        (await node.Store.GetAudioBookIdForJobAsync(job.Id)).Should().Be(orphan.Id);
        (await node.Processing.GetAudioBookAsync(orphan.Id))!.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        (await again.Should().ThrowAsync<AudioBookExistsException>()).Which.ExistingAudioBookId.Should().Be(orphan.Id, "an audiobook with a job is refused as before");
    }

    [Fact]
    public async Task Concurrent_starts_for_one_edition_make_one_audiobook_and_one_job()
    {
        await using var node = new PipelineHarness();
        var isbn = node.Catalog.Add("9780262033848", "Algorithms");
        var edition = await node.Processing.LookupAsync(isbn);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (object)await node.Processing.StartProcessingAsync(edition.Id);
            }
            catch (AudioBookExistsException refused)
            {
                return refused;
            }
        })));

        var started = outcomes.OfType<ProcessingStarted>().ToList();
        started.Should().NotBeEmpty();
        started.Select(s => s.Job.Id).Distinct().Should().ContainSingle("every start that was not refused answers with the one job");
        var bookIds = started.Select(s => s.AudioBook.Id).Concat(outcomes.OfType<AudioBookExistsException>().Select(e => e.ExistingAudioBookId));
        bookIds.Distinct().Should().ContainSingle();
        (await node.Store.GetJobIdsForAudioBookAsync(bookIds.First())).Should().ContainSingle();
    }

    [Fact]
    public async Task In_flight_calls_are_bounded_per_node_by_the_concurrency_settings()
    {
        await using var node = await new PipelineHarness(o =>
        {
            o.Llm.MaxConcurrency = 2;
            o.Tts.MaxConcurrency = 3;
            o.Tts.ChunkCharacters = 100;
        }).StartAsync();
        int llmNow = 0, llmMax = 0, ttsNow = 0, ttsMax = 0;
        node.Llm.SummaryBehavior = async (_, _, ct) =>
        {
            var n = Interlocked.Increment(ref llmNow);
            InterlockedMax(ref llmMax, n);
            await Task.Delay(30, ct);
            Interlocked.Decrement(ref llmNow);
            return null;
        };
        node.Tts.Behavior = async (_, _, ct) =>
        {
            var n = Interlocked.Increment(ref ttsNow);
            InterlockedMax(ref ttsMax, n);
            await Task.Delay(20, ct);
            Interlocked.Decrement(ref ttsNow);
        };
        var (_, started) = await StartBookAsync(node, chapters: 6);

        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        llmMax.Should().Be(2);
        ttsMax.Should().Be(3);
        node.Tts.Requests.Should().OnlyContain(r => r.Text.Length <= 100);
        node.Tts.Calls.Should().BeGreaterThan(6 * 2, "each ~60-word summary is split into several chunks");
    }

    [Fact]
    public async Task A_chapter_spoken_in_several_chunks_is_stored_as_one_joined_file()
    {
        await using var node = await new PipelineHarness(o => o.Tts.ChunkCharacters = 120).StartAsync();
        var (_, started) = await StartBookAsync(node, chapters: 1);

        await node.WaitForJobAsync(started.Job.Id);

        var chapter = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.Chapters.Single();
        var chunks = node.Tts.Requests.Select(r => FakeTtsProvider.AudioFor(r.Text)).ToList();
        chunks.Should().HaveCountGreaterThan(2);
        var stored = node.Storage.Objects[chapter.AudioKey!].Bytes;
        stored.Should().Equal(chunks.SelectMany(c => c));
        chapter.DurationSeconds.Should().BeApproximately(chunks.Sum(c => c.Length / 417) * Mp3.FrameSeconds, 1e-6);
        // ffprobe estimates a long file's duration from its size and bit rate: within 0.5 %.
        Audio.AudioJoinerTests.FfprobeDuration(stored, "mp3").Should().BeApproximately(chapter.DurationSeconds!.Value, chapter.DurationSeconds.Value * 0.005);
    }

    [Fact]
    public async Task Watching_a_job_yields_its_changes_until_it_is_terminal()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var (_, started) = await StartBookAsync(node);

        var seen = new List<JobDetails>();
        await foreach (var details in node.Processing.WatchJobAsync(started.Job.Id, TimeSpan.FromMilliseconds(5)))
        {
            seen.Add(details);
        }

        seen.Should().NotBeEmpty();
        seen[^1].Job.Status.Should().Be(JobStatus.Completed);
        seen.Should().OnlyContain(d => d.AudioBookId == started.AudioBook.Id);
        seen.Select(d => d.Job.Progress).Should().BeInAscendingOrder();
        await FluentActions.Awaiting(async () => { await foreach (var _ in node.Processing.WatchJobAsync(Guid.NewGuid())) { } })
            .Should().ThrowAsync<JobNotFoundException>();
    }

    [Fact]
    public async Task Listing_pages_audiobooks_newest_first()
    {
        await using var node = new PipelineHarness();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var isbn = node.Catalog.Add(TestIsbn.Create(i).Value, $"Book {i}");
            ids.Add((await node.Processing.StartProcessingAsync(isbn)).AudioBook.Id);
            await Task.Delay(2);
        }

        var page = await node.Processing.ListAudioBooksAsync(page: 1, pageSize: 2);

        page.Total.Should().Be(3);
        page.Items.Select(b => b.AudioBook.Id).Should().Equal(ids[2], ids[1]);
        page.Items.Select(b => b.Edition!.Title).Should().Equal("Book 2", "Book 1");
        await FluentActions.Awaiting(() => node.Processing.ListAudioBooksAsync(0, 10)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
