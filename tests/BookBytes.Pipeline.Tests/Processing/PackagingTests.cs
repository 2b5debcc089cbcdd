using System.Text;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Documents;
using BookBytes.Jobs;
using BookBytes.Packaging;
using BookBytes.Pipeline.Processing;
using BookBytes.Pipeline.Stores;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Tests.Processing;

/// <summary>Packaging jobs: one chaptered M4B and MP3 of an audiobook's stored chapters, tagged from the edition, with its cover.</summary>
public sealed class PackagingTests
{
    /// <summary>A PNG's signature and the start of its header chunk: what makes bytes a PNG here.</summary>
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01];

    /// <summary>A JPEG's start-of-image and APP0 markers.</summary>
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00];

    private static async Task<ProcessingStarted> StartBookAsync(PipelineHarness node, int chapters = 3, Uri? coverUrl = null)
    {
        node.Llm.ChapterCount = chapters;
        var isbn = node.Catalog.Add("978-0-306-40615-7", "Signals and Noise", coverUrl: coverUrl);
        node.Catalog.Editions[isbn.Value] = node.Catalog.Editions[isbn.Value] with { PublishYear = 2016, Publisher = "Test Press" };
        return await node.Processing.StartProcessingAsync(isbn);
    }

    /// <summary>The audiobook's packaging jobs, oldest first.</summary>
    private static async Task<List<Job>> PackagingJobsAsync(PipelineHarness node, Guid audioBookId)
    {
        var jobs = new List<Job>();
        foreach (var id in await node.Store.GetJobIdsForAudioBookAsync(audioBookId))
        {
            if (await node.Store.GetAsync(id) is { } job && job.Type == JobKind.AudiobookPackaging)
            {
                jobs.Add(job);
            }
        }

        return jobs;
    }

    /// <summary>
    /// Waits for the audiobook's <paramref name="count"/>th packaging job to be enqueued and to end, and for the job that enqueued
    /// it to be recorded as ended too (the packaging may finish first), so the audiobook has no job in progress.
    /// </summary>
    private static async Task<Job> WaitForPackagingAsync(PipelineHarness node, Guid audioBookId, int count = 1)
    {
        await node.WaitUntilAsync(async () => (await PackagingJobsAsync(node, audioBookId)).Count >= count, $"packaging job {count} to be enqueued");
        var job = await node.WaitForJobAsync((await PackagingJobsAsync(node, audioBookId))[count - 1].Id);
        foreach (var id in await node.Store.GetJobIdsForAudioBookAsync(audioBookId))
        {
            await node.WaitForJobAsync(id);
        }

        return job;
    }

    private static string KeyOf(Guid audioBookId, string extension) => $"audiobooks/{audioBookId:D}/v1/book.{extension}";

    private static IEnumerable<string> PackageKeys(PipelineHarness node) => node.Storage.Objects.Keys.Where(k => k.Contains("/book.", StringComparison.Ordinal));

    /// <summary>A book of three body chapters, front and back matter, and the given cover.</summary>
    private static BookDocument Document(DocumentCover? cover) => new()
    {
        Title = "My Own Book",
        Authors = ["A. Writer", "B. Writer"],
        Language = "en",
        Cover = cover,
        Chapters =
        [
            new DocumentChapter(1, "Foreword", 0, ChapterKind.Front, ["A few words before."]),
            .. Enumerable.Range(2, 3).Select(n => new DocumentChapter(n, $"Heading {n}", 0, ChapterKind.Body, [.. Enumerable.Range(1, 3).Select(p =>
                string.Join(' ', Enumerable.Range(1, 4).Select(s => $"Chapter {n} paragraph {p} says thing number {s} in its own plain words.")))])),
            new DocumentChapter(5, "Notes", 0, ChapterKind.Back, ["A note."]),
        ],
    };

    [Fact]
    public async Task A_finished_book_is_packaged_by_a_follow_up_job_into_an_m4b_and_an_mp3_of_its_stored_chapters()
    {
        await using var node = await new PipelineHarness(packaging: true).StartAsync();
        var started = await StartBookAsync(node);

        var generation = await node.WaitForJobAsync(started.Job.Id);
        var packaging = await WaitForPackagingAsync(node, started.AudioBook.Id);

        generation.Status.Should().Be(JobStatus.Completed, generation.ErrorMessage);
        packaging.Status.Should().Be(JobStatus.Completed, packaging.ErrorMessage);
        packaging.Attempt.Should().Be(1);
        packaging.Progress.Should().Be(100);
        (await node.Store.GetJobIdsForAudioBookAsync(started.AudioBook.Id)).Should().Equal([started.Job.Id, packaging.Id], "the packaging job is linked to the audiobook");
        (await node.Store.GetAudioBookIdForJobAsync(packaging.Id)).Should().Be(started.AudioBook.Id);

        var details = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!;
        var package = details.AudioBook.Package!;
        package.Should().NotBeNull();
        package.Version.Should().Be(1);
        package.Chapters.Should().Equal(1, 2, 3);
        package.Complete.Should().BeTrue();
        package.DurationSeconds.Should().BeApproximately(details.Chapters.Sum(c => c.DurationSeconds!.Value), 1e-6, "the fake measures the chapters as the pipeline did");
        var m4b = node.Storage.Objects[KeyOf(started.AudioBook.Id, "m4b")];
        var mp3 = node.Storage.Objects[KeyOf(started.AudioBook.Id, "mp3")];
        package.Files.Should().Equal(
            new PackagedFile(PackageFormat.M4b, KeyOf(started.AudioBook.Id, "m4b"), m4b.Bytes.Length),
            new PackagedFile(PackageFormat.Mp3, KeyOf(started.AudioBook.Id, "mp3"), mp3.Bytes.Length));
        m4b.ContentType.Should().Be("audio/mp4");
        mp3.ContentType.Should().Be("audio/mpeg");

        var chapterAudio = details.Chapters.Select(c => node.Storage.Objects[c.AudioKey!].Bytes).ToList();
        node.Packager.Made.Select(m => m.Format).Should().Equal(PackageFormat.M4b, PackageFormat.Mp3);
        foreach (var made in node.Packager.Made)
        {
            made.Chapters.Should().HaveCount(3);
            for (var i = 0; i < 3; i++)
            {
                made.Chapters[i].Should().Equal(chapterAudio[i], "the chapter streams open the stored audio, in order");
            }

            (made.Format == PackageFormat.M4b ? m4b : mp3).Bytes.Should().Equal(made.Content, "the packager's file is what is stored");
            File.Exists(made.Path).Should().BeFalse("the temporary file is deleted once stored");
        }

        node.Packager.Requests.Select(r => r.Format).Should().Equal(PackageFormat.M4b, PackageFormat.Mp3);
        foreach (var request in node.Packager.Requests)
        {
            request.Chapters.Select(c => c.Title).Should().Equal(details.Chapters.Select(c => c.Title));
            request.Chapters.Should().OnlyContain(c => c.Format == AudioFormat.Mp3);
            request.Tags.Should().BeEquivalentTo(new PackageTags
            {
                Title = "Signals and Noise",
                Authors = ["Ada Author"],
                Year = 2016,
                Narrator = "alloy",
                Language = "en",
                Publisher = "Test Press",
                Description = "A book used in tests.",
            });
            request.Cover.Should().BeNull("the catalog edition has no cover");
        }

        node.Catalog.CoverRequests.Should().BeEmpty("an edition without a cover URL is not asked for one");
    }

    [Fact]
    public async Task Without_a_packager_no_packaging_job_is_enqueued_and_packaging_is_refused()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var started = await StartBookAsync(node);
        (await node.WaitForJobAsync(started.Job.Id)).Status.Should().Be(JobStatus.Completed);

        var act = () => node.Processing.PackageAsync(started.AudioBook.Id);

        (await act.Should().ThrowAsync<ProviderNotConfiguredException>()).Which.Message.Should().Contain(nameof(IAudioPackager));
        (await node.Store.GetJobIdsForAudioBookAsync(started.AudioBook.Id)).Should().Equal([started.Job.Id], "only the generation job is linked");
        (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!.Package.Should().BeNull();
    }

    [Fact]
    public async Task A_partly_made_book_is_packaged_with_the_chapters_it_has_and_says_it_is_not_complete()
    {
        await using var node = await new PipelineHarness(o =>
        {
            o.Jobs.MaxAttempts = 2;
            o.Tts.CallRetries = 0;
        }, packaging: true).StartAsync();
        node.Tts.Behavior = (request, _, _) => request.Text.Contains(FakeLlmProvider.Marker(2), StringComparison.Ordinal)
            ? throw new ProviderException("The speech API is down", isTransient: true)
            : Task.CompletedTask;
        var started = await StartBookAsync(node);

        var generation = await node.WaitForJobAsync(started.Job.Id);
        var packaging = await WaitForPackagingAsync(node, started.AudioBook.Id);

        generation.Status.Should().Be(JobStatus.Failed);
        generation.ErrorCode.Should().Be(ErrorCodes.ChaptersFailed);
        generation.Attempt.Should().Be(2);
        packaging.Status.Should().Be(JobStatus.Completed, packaging.ErrorMessage);
        (await PackagingJobsAsync(node, started.AudioBook.Id)).Should().ContainSingle("the first attempt had attempts left, so only the last one packaged the book");
        var details = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!;
        details.AudioBook.Status.Should().Be(AudioBookStatus.PartiallyCompleted);
        var package = details.AudioBook.Package!;
        package.Chapters.Should().Equal(1, 3);
        package.Complete.Should().BeFalse();
        package.Files.Select(f => f.Format).Should().Equal(PackageFormat.M4b, PackageFormat.Mp3);
        package.Files.Should().OnlyContain(f => f.SizeBytes == node.Storage.Objects[f.Key].Bytes.Length);
        var stored = details.Chapters.Where(c => c.Status == ChapterStatus.Completed).ToList();
        node.Packager.Requests.Should().OnlyContain(r => r.Chapters.Select(c => c.Title).SequenceEqual(stored.Select(c => c.Title)));
        node.Packager.Made.Should().OnlyContain(m => m.Chapters.Count == 2
            && m.Chapters[0].SequenceEqual(node.Storage.Objects[stored[0].AudioKey!].Bytes)
            && m.Chapters[1].SequenceEqual(node.Storage.Objects[stored[1].AudioKey!].Bytes));
    }

    [Fact]
    public async Task Packaging_before_any_chapter_is_stored_is_refused_as_audio_not_ready()
    {
        await using var node = new PipelineHarness(packaging: true);
        var started = await StartBookAsync(node);

        var act = () => node.Processing.PackageAsync(started.AudioBook.Id);

        (await act.Should().ThrowAsync<BookBytesException>()).Which.ErrorCode.Should().Be(ErrorCodes.AudioNotReady);
        await FluentActions.Awaiting(() => node.Processing.PackageAsync(Guid.NewGuid())).Should().ThrowAsync<AudioBookNotFoundException>();
        (await node.Store.GetJobIdsForAudioBookAsync(started.AudioBook.Id)).Should().Equal([started.Job.Id]);
    }

    [Fact]
    public async Task Packaging_while_another_job_of_the_audiobook_is_processing_or_pending_is_refused()
    {
        await using var node = await new PipelineHarness(packaging: true).StartAsync();
        var started = await StartBookAsync(node);
        await WaitForPackagingAsync(node, started.AudioBook.Id);
        node.Packager.Block();
        var processing = await node.Processing.PackageAsync(started.AudioBook.Id);
        await node.Packager.Blocked.WaitAsync(TimeSpan.FromSeconds(30));

        var whileProcessing = () => node.Processing.PackageAsync(started.AudioBook.Id);

        (await whileProcessing.Should().ThrowAsync<JobInProgressException>()).Which.JobId.Should().Be(processing.Job.Id);
        node.Packager.Release();
        (await node.WaitForJobAsync(processing.Job.Id)).Status.Should().Be(JobStatus.Completed);

        await node.StopAsync();
        var refresh = await node.Processing.RefreshAsync(started.AudioBook.Id, force: true);
        var whilePending = () => node.Processing.PackageAsync(started.AudioBook.Id);

        (await whilePending.Should().ThrowAsync<JobInProgressException>()).Which.JobId.Should().Be(refresh.Job.Id);
        (await PackagingJobsAsync(node, started.AudioBook.Id)).Should().HaveCount(2, "the refused requests enqueued nothing");
    }

    [Fact]
    public async Task Packaging_only_the_mp3_makes_only_the_mp3_and_the_package_lists_only_it()
    {
        await using var node = await new PipelineHarness(packaging: true).StartAsync();
        var started = await StartBookAsync(node);
        await WaitForPackagingAsync(node, started.AudioBook.Id);
        var requestsBefore = node.Packager.Requests.Count;
        var savesBefore = node.Storage.SavedKeys.Count;

        var asked = await node.Processing.PackageAsync(started.AudioBook.Id, [PackageFormat.Mp3]);
        var job = await node.WaitForJobAsync(asked.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Type.Should().Be(JobKind.AudiobookPackaging);
        node.Packager.Requests.Skip(requestsBefore).Select(r => r.Format).Should().Equal(PackageFormat.Mp3);
        node.Storage.SavedKeys.Skip(savesBefore).Should().Equal(KeyOf(started.AudioBook.Id, "mp3"));
        var package = (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!.Package!;
        package.Files.Should().ContainSingle().Which.Should().Be(new PackagedFile(PackageFormat.Mp3, KeyOf(started.AudioBook.Id, "mp3"), node.Storage.Objects[KeyOf(started.AudioBook.Id, "mp3")].Bytes.Length));
        PackageKeys(node).Should().Equal([KeyOf(started.AudioBook.Id, "mp3")], "the M4B the package no longer lists is not left behind");
    }

    [Fact]
    public async Task A_format_the_packager_does_not_make_is_skipped_and_one_it_makes_none_of_is_refused()
    {
        await using var node = await new PipelineHarness(packaging: true).StartAsync();
        node.Packager.Formats.Remove(PackageFormat.M4b);
        var started = await StartBookAsync(node);

        var packaging = await WaitForPackagingAsync(node, started.AudioBook.Id);
        var onlyM4b = () => node.Processing.PackageAsync(started.AudioBook.Id, [PackageFormat.M4b]);

        packaging.Status.Should().Be(JobStatus.Completed, packaging.ErrorMessage);
        (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!.Package!.Files.Select(f => f.Format).Should().Equal(PackageFormat.Mp3);
        node.Packager.Requests.Should().OnlyContain(r => r.Format == PackageFormat.Mp3);
        await onlyM4b.Should().ThrowAsync<ProviderNotConfiguredException>();
    }

    [Fact]
    public async Task A_transient_packaging_failure_is_retried_by_the_job_and_the_files_are_stored_once()
    {
        await using var node = await new PipelineHarness(packaging: true).StartAsync();
        node.Packager.TransientFailures = 1;
        var started = await StartBookAsync(node);

        var packaging = await WaitForPackagingAsync(node, started.AudioBook.Id);

        packaging.Status.Should().Be(JobStatus.Completed, packaging.ErrorMessage);
        packaging.Attempt.Should().Be(2);
        node.Packager.Requests.Select(r => r.Format).Should().Equal(PackageFormat.M4b, PackageFormat.M4b, PackageFormat.Mp3);
        node.Storage.SavedKeys.Count(k => k == KeyOf(started.AudioBook.Id, "m4b")).Should().Be(1);
        node.Storage.SavedKeys.Count(k => k == KeyOf(started.AudioBook.Id, "mp3")).Should().Be(1);
        (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!.Package!.Complete.Should().BeTrue();
    }

    [Fact]
    public async Task A_permanent_packaging_failure_fails_the_job_and_leaves_no_package()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.MaxAttempts = 3, packaging: true).StartAsync();
        node.Packager.FailsForGood = true;
        var started = await StartBookAsync(node);

        var packaging = await WaitForPackagingAsync(node, started.AudioBook.Id);

        packaging.Status.Should().Be(JobStatus.Failed);
        packaging.ErrorCode.Should().Be(ErrorCodes.PackagingFailed);
        packaging.ErrorMessage.Should().Contain("The encoder rejected the chapters");
        packaging.Attempt.Should().Be(1, "a permanent failure is not retried");
        var book = (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!;
        book.Package.Should().BeNull();
        book.Status.Should().Be(AudioBookStatus.Completed, "the chapters are still served");
        PackageKeys(node).Should().BeEmpty();
    }

    [Fact]
    public async Task A_refresh_asked_for_while_the_follow_up_packaging_waits_supersedes_it_and_the_refreshed_book_is_packaged_after()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.PackagingDelay = TimeSpan.FromMinutes(5), packaging: true).StartAsync();
        var started = await StartBookAsync(node);
        (await node.WaitForJobAsync(started.Job.Id)).Status.Should().Be(JobStatus.Completed);
        var waiting = (await PackagingJobsAsync(node, started.AudioBook.Id)).Single();

        var refresh = await node.Processing.RefreshAsync(started.AudioBook.Id, force: true);
        (await node.WaitForJobAsync(refresh.Job.Id)).Status.Should().Be(JobStatus.Completed);
        await node.WaitUntilAsync(async () => (await PackagingJobsAsync(node, started.AudioBook.Id)).Count == 2, "the refresh's packaging to be enqueued");
        var jobs = await PackagingJobsAsync(node, started.AudioBook.Id);

        waiting.Status.Should().Be(JobStatus.Pending);
        (waiting.NotBefore - waiting.CreatedAt).Should().BeCloseTo(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1), "the follow-up waits Jobs:PackagingDelay");
        jobs[0].Status.Should().Be(JobStatus.Failed);
        jobs[0].ErrorCode.Should().Be(ErrorCodes.JobSuperseded);
        jobs[0].Attempt.Should().Be(0, "it never ran");
        jobs[1].Status.Should().Be(JobStatus.Pending);
        (jobs[1].NotBefore - jobs[1].CreatedAt).Should().BeCloseTo(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));
        (await node.Store.GetJobIdsForAudioBookAsync(started.AudioBook.Id)).Should().Equal(started.Job.Id, waiting.Id, refresh.Job.Id, jobs[1].Id);
        node.Packager.Requests.Should().BeEmpty("neither packaging job has run yet");
    }

    [Fact]
    public async Task Packaging_asked_for_while_the_follow_up_waits_supersedes_it_and_runs_at_once()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.PackagingDelay = TimeSpan.FromMinutes(5), packaging: true).StartAsync();
        var started = await StartBookAsync(node);
        (await node.WaitForJobAsync(started.Job.Id)).Status.Should().Be(JobStatus.Completed);
        var waiting = (await PackagingJobsAsync(node, started.AudioBook.Id)).Single();

        var asked = await node.Processing.PackageAsync(started.AudioBook.Id, [PackageFormat.Mp3]);
        var done = await node.WaitForJobAsync(asked.Job.Id);

        done.Status.Should().Be(JobStatus.Completed, done.ErrorMessage);
        (await node.Store.GetAsync(waiting.Id))!.ErrorCode.Should().Be(ErrorCodes.JobSuperseded);
        node.Packager.Requests.Select(r => r.Format).Should().Equal(PackageFormat.Mp3);
        (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!.Package!.Files.Select(f => f.Format).Should().Equal(PackageFormat.Mp3);
    }

    [Fact]
    public async Task With_package_when_done_off_a_finished_book_gets_no_packaging_job_but_can_ask_for_one()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.PackageWhenDone = false, packaging: true).StartAsync();
        var started = await StartBookAsync(node);
        (await node.WaitForJobAsync(started.Job.Id)).Status.Should().Be(JobStatus.Completed);

        var asked = await node.Processing.PackageAsync(started.AudioBook.Id);
        var done = await node.WaitForJobAsync(asked.Job.Id);

        (await node.Store.GetJobIdsForAudioBookAsync(started.AudioBook.Id)).Should().Equal(started.Job.Id, asked.Job.Id);
        done.Status.Should().Be(JobStatus.Completed, done.ErrorMessage);
        (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!.Package!.Complete.Should().BeTrue();
    }

    [Fact]
    public async Task Packaging_again_after_a_refresh_added_a_chapter_replaces_the_files_of_the_same_version()
    {
        await using var node = await new PipelineHarness(o =>
        {
            o.Jobs.MaxAttempts = 2;
            o.Tts.CallRetries = 0;
        }, packaging: true).StartAsync();
        var broken = true;
        node.Tts.Behavior = (request, _, _) => broken && request.Text.Contains(FakeLlmProvider.Marker(2), StringComparison.Ordinal)
            ? throw new ProviderException("The speech API is down", isTransient: true)
            : Task.CompletedTask;
        var started = await StartBookAsync(node);
        await WaitForPackagingAsync(node, started.AudioBook.Id);
        var partial = (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!.Package!;
        broken = false;

        var refresh = await node.Processing.RefreshAsync(started.AudioBook.Id, force: false);
        (await node.WaitForJobAsync(refresh.Job.Id)).Status.Should().Be(JobStatus.Completed);
        var again = await WaitForPackagingAsync(node, started.AudioBook.Id, count: 2);

        again.Status.Should().Be(JobStatus.Completed, again.ErrorMessage);
        var whole = (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!.Package!;
        partial.Chapters.Should().Equal(1, 3);
        partial.Complete.Should().BeFalse();
        whole.Version.Should().Be(1);
        whole.Chapters.Should().Equal(1, 2, 3);
        whole.Complete.Should().BeTrue();
        whole.DurationSeconds.Should().BeGreaterThan(partial.DurationSeconds);
        whole.Files.Select(f => f.Key).Should().Equal(partial.Files.Select(f => f.Key), "the same version's files are replaced in place");
        whole.Files.Zip(partial.Files).Should().OnlyContain(p => p.First.SizeBytes > p.Second.SizeBytes);
        whole.Files.Should().OnlyContain(f => f.SizeBytes == node.Storage.Objects[f.Key].Bytes.Length);
        PackageKeys(node).Should().BeEquivalentTo(whole.Files.Select(f => f.Key));
    }

    [Fact]
    public async Task A_forced_refresh_is_packaged_as_its_new_version_and_the_old_versions_files_are_deleted_then()
    {
        await using var node = await new PipelineHarness(packaging: true).StartAsync();
        var started = await StartBookAsync(node, chapters: 2);
        await WaitForPackagingAsync(node, started.AudioBook.Id);

        var refresh = await node.Processing.RefreshAsync(started.AudioBook.Id, force: true);
        (await node.WaitForJobAsync(refresh.Job.Id)).Status.Should().Be(JobStatus.Completed);
        var again = await WaitForPackagingAsync(node, started.AudioBook.Id, count: 2);

        again.Status.Should().Be(JobStatus.Completed, again.ErrorMessage);
        var book = (await node.Store.GetAudioBookAsync(started.AudioBook.Id))!;
        book.Version.Should().Be(2);
        book.Package!.Version.Should().Be(2);
        book.Package.Complete.Should().BeTrue();
        book.Package.Files.Select(f => f.Key).Should().Equal($"audiobooks/{started.AudioBook.Id:D}/v2/book.m4b", $"audiobooks/{started.AudioBook.Id:D}/v2/book.mp3");
        PackageKeys(node).Should().BeEquivalentTo(book.Package.Files.Select(f => f.Key), "version 1's package goes once version 2's replaces it");
    }

    [Fact]
    public async Task A_documents_cover_is_stored_at_upload_by_what_its_bytes_are_and_reaches_the_packager()
    {
        await using var node = await new PipelineHarness(packaging: true).StartAsync();

        // Declared a JPEG, but its bytes are a PNG's: the bytes decide.
        var added = await node.Processing.AddDocumentAsync(Encoding.UTF8.GetBytes("a document with a cover"), "text/plain", Document(new DocumentCover(Png, "image/jpeg")));
        var started = await node.Processing.StartProcessingAsync(added.Edition.Id, new AudioBookRequest());
        var packaging = await WaitForPackagingAsync(node, started.AudioBook.Id);

        var key = $"sources/{added.Edition.Id:D}/cover.png";
        node.Storage.Objects[key].Bytes.Should().Equal(Png);
        node.Storage.Objects[key].ContentType.Should().Be("image/png");
        (await node.Processing.GetEditionAsync(added.Edition.Id))!.Document!.CoverKey!.Value.Value.Should().Be(key);
        packaging.Status.Should().Be(JobStatus.Completed, packaging.ErrorMessage);
        node.Packager.Requests.Should().HaveCount(2);
        foreach (var request in node.Packager.Requests)
        {
            request.Cover.Should().NotBeNull();
            request.Cover!.MediaType.Should().Be("image/png");
            request.Cover.Data.ToArray().Should().Equal(Png);
            request.Tags.Title.Should().Be("My Own Book");
            request.Tags.Authors.Should().Equal("A. Writer", "B. Writer");
            request.Chapters.Select(c => c.Title).Should().Equal("Heading 2", "Heading 3", "Heading 4");
        }
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0x3C, 0x73, 0x76, 0x67, 0x20, 0x78, 0x6D, 0x6C, 0x6E, 0x73, 0x3D, 0x22, 0x22, 0x3E })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })]
    public async Task A_cover_that_is_not_a_jpeg_or_png_is_not_stored(byte[] cover)
    {
        await using var node = new PipelineHarness(packaging: true);

        var added = await node.Processing.AddDocumentAsync(Encoding.UTF8.GetBytes("a document with a bad cover"), "text/plain", Document(new DocumentCover(cover, "image/png")));

        added.Edition.Document!.CoverKey.Should().BeNull();
        node.Storage.Objects.Keys.Should().NotContain(k => k.Contains("/cover.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_catalog_editions_cover_comes_from_the_catalog_typed_by_its_bytes()
    {
        await using var node = await new PipelineHarness(packaging: true).StartAsync();
        node.Catalog.Cover = new CoverImage(Jpeg, "image/png");
        var coverUrl = new Uri("https://covers.example/9780306406157-L.jpg");
        var started = await StartBookAsync(node, chapters: 2, coverUrl: coverUrl);

        var packaging = await WaitForPackagingAsync(node, started.AudioBook.Id);

        packaging.Status.Should().Be(JobStatus.Completed, packaging.ErrorMessage);
        node.Catalog.CoverRequests.Should().NotBeEmpty().And.OnlyContain(e => e.Id == started.AudioBook.EditionId && e.CoverUrl == coverUrl);
        node.Packager.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Cover != null && r.Cover.MediaType == "image/jpeg" && r.Cover.Data.ToArray().SequenceEqual(Jpeg));
    }

    [Fact]
    public async Task A_packaging_job_stopped_by_a_shutdown_is_run_again_to_completion_by_the_next_node()
    {
        var store = new InMemoryBookBytesStore();
        var storage = new InMemoryStorageBackend();
        var catalog = new FakeBookCatalog();
        var first = await new PipelineHarness(o => o.Jobs.ShutdownTimeout = TimeSpan.FromMilliseconds(100), store, storage, catalog, packaging: true).StartAsync();
        first.Packager.Block();
        var started = await StartBookAsync(first);
        await first.Packager.Blocked.WaitAsync(TimeSpan.FromSeconds(30));

        await first.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var released = (await PackagingJobsAsync(first, started.AudioBook.Id)).Single();
        await using var second = await new PipelineHarness(store: store, storage: storage, catalog: catalog, packaging: true).StartAsync();
        var job = await second.WaitForJobAsync(released.Id);

        released.Status.Should().Be(JobStatus.Pending, "a job stopped by a shutdown is released, not failed");
        released.Attempt.Should().Be(0, "a released attempt is not counted");
        released.LeaseOwner.Should().BeNull();
        first.Packager.Made.Should().BeEmpty("the first node's packaging was cancelled before it made a file");
        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Attempt.Should().Be(1);
        second.Packager.Made.Select(m => m.Format).Should().Equal(PackageFormat.M4b, PackageFormat.Mp3);
        var package = (await store.GetAudioBookAsync(started.AudioBook.Id))!.Package!;
        package.Complete.Should().BeTrue();
        package.Files.Should().OnlyContain(f => f.SizeBytes == storage.Objects[f.Key].Bytes.Length);
        await first.DisposeAsync();
    }

    [Fact]
    public async Task A_packaging_job_whose_worker_died_is_rescued_and_run_by_another_node()
    {
        var store = new InMemoryBookBytesStore();
        var storage = new InMemoryStorageBackend();
        var catalog = new FakeBookCatalog();
        ProcessingStarted started;
        Job asked;
        await using (var first = await new PipelineHarness(store: store, storage: storage, catalog: catalog, packaging: true).StartAsync())
        {
            started = await StartBookAsync(first);
            await WaitForPackagingAsync(first, started.AudioBook.Id);
            await first.StopAsync();
            asked = (await first.Processing.PackageAsync(started.AudioBook.Id)).Job;
        }

        // A worker claims the job and dies: its lease runs out without a heartbeat.
        (await store.ClaimNextAsync("died", TimeSpan.FromMilliseconds(1)))!.Job.Id.Should().Be(asked.Id);
        await Task.Delay(20);
        await using var second = await new PipelineHarness(store: store, storage: storage, catalog: catalog, packaging: true).StartAsync();

        var job = await second.WaitForJobAsync(asked.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Rescues.Should().Be(1);
        job.Attempt.Should().Be(1, "the dead worker's claim is a rescue, not an attempt");
        second.Packager.Made.Should().HaveCount(2);
        var package = (await store.GetAudioBookAsync(started.AudioBook.Id))!.Package!;
        package.Files.Should().OnlyContain(f => storage.Objects[f.Key].Bytes.SequenceEqual(second.Packager.Made.Single(m => m.Format == f.Format).Content));
    }
}
