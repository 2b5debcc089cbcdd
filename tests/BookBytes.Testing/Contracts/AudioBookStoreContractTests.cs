using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BookBytes.Testing.Contracts;

/// <summary>
/// The behaviour every <see cref="IAudioBookStore"/> must have, with the <see cref="IJobStore"/> it is
/// registered with (lease-fenced writes). Each store's test class inherits this suite.
/// </summary>
public abstract class AudioBookStoreContractTests : IAsyncLifetime
{
    /// <summary>Gets the clock the stores under test read.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>Gets the audiobook store under test.</summary>
    protected IAudioBookStore Books { get; private set; } = null!;

    /// <summary>Gets the job store over the same data.</summary>
    protected IJobStore Jobs { get; private set; } = null!;

    /// <summary>Creates fresh, empty stores over the same data that read <paramref name="time"/>.</summary>
    protected abstract Task<(IAudioBookStore Books, IJobStore Jobs)> CreateStoresAsync(FakeTimeProvider time);

    public virtual async Task InitializeAsync() => (Books, Jobs) = await CreateStoresAsync(Time);

    public virtual async Task DisposeAsync()
    {
        if (Books is IAsyncDisposable books)
        {
            await books.DisposeAsync();
        }

        if (!ReferenceEquals(Books, Jobs) && Jobs is IAsyncDisposable jobs)
        {
            await jobs.DisposeAsync();
        }
    }

    protected static Edition NewEdition(string isbn = "9780306406157", string title = "Signals and Noise") => new()
    {
        Id = Guid.CreateVersion7(),
        Isbn13 = isbn,
        Title = title,
        Authors = ["Ada Author", "Bo Writer"],
        Language = "de",
        Publisher = "Pub House",
        PublishYear = 1999,
        PageCount = 321,
        CoverUrl = new Uri("https://covers.example/b/id/1-M.jpg"),
        Description = "About signals.",
        Subjects = ["Physics"],
        TableOfContents = [new("Preface", 0, null, "ix", true), new("Beginnings", 0, "1", "1"), new("Part one", 1, "1.1", "3")],
    };

    protected AudioBook NewAudioBook(Guid editionId) => new()
    {
        Id = Guid.CreateVersion7(),
        EditionId = editionId,
        Status = AudioBookStatus.Pending,
        Voice = "alloy",
        CreatedAt = Time.GetUtcNow(),
        UpdatedAt = Time.GetUtcNow(),
    };

    protected Chapter NewChapter(Guid audioBookId, int number, int version = 1) => new()
    {
        AudioBookId = audioBookId,
        Version = version,
        Number = number,
        Title = $"Chapter {number}",
        Status = ChapterStatus.Pending,
        UpdatedAt = Time.GetUtcNow(),
    };

    private static FluentAssertions.Equivalency.EquivalencyAssertionOptions<T> CloseTimes<T>(FluentAssertions.Equivalency.EquivalencyAssertionOptions<T> options)
        => options.Using<DateTimeOffset>(c => c.Subject.Should().BeCloseTo(c.Expectation, TimeSpan.FromMilliseconds(1))).WhenTypeIs<DateTimeOffset>();

    [Fact]
    public async Task A_document_edition_round_trips_with_its_source_its_stored_files_and_its_chapter_kinds()
    {
        var id = Guid.NewGuid();
        var edition = new Edition
        {
            Id = id,
            Title = "A Book of My Own",
            Authors = ["A. Writer"],
            Language = "fr",
            Source = EditionSource.Document,
            Document = new EditionDocument(
                "application/epub+zip",
                new string('a', 64),
                123_456,
                Storage.StorageKey.Parse($"sources/{id}/original.epub"),
                Storage.StorageKey.Parse($"sources/{id}/book.json")) { CoverKey = Storage.StorageKey.Parse($"sources/{id}/cover.jpg") },
            TableOfContents =
            [
                new TableOfContentsEntry("Contents", IsFrontOrBackMatter: true) { Number = 1, Kind = Documents.ChapterKind.Front, Words = 12 },
                new TableOfContentsEntry("Part One") { Number = 2, Kind = Documents.ChapterKind.Body, Words = 0 },
                new TableOfContentsEntry("The Beginning", Level: 1) { Number = 3, Kind = Documents.ChapterKind.Body, Words = 4_321 },
            ],
        };

        var stored = await Books.UpsertEditionAsync(edition);
        var read = await Books.GetEditionAsync(stored.Id);
        var catalog = await Books.UpsertEditionAsync(NewEdition());

        read.Should().BeEquivalentTo(edition);
        (await Books.GetEditionAsync(catalog.Id))!.Source.Should().Be(EditionSource.Catalog);
        (await Books.GetEditionAsync(catalog.Id))!.Document.Should().BeNull();
    }

    [Fact]
    public async Task An_edition_round_trips_with_every_field()
    {
        var edition = NewEdition();

        var stored = await Books.UpsertEditionAsync(edition);
        var read = await Books.GetEditionAsync(stored.Id);

        read.Should().BeEquivalentTo(edition);
        (await Books.FindEditionByIsbnAsync(Isbn.Parse("0306406152"))).Should().BeEquivalentTo(edition);
        (await Books.FindEditionByIsbnAsync(Isbn.Parse("9780262033848"))).Should().BeNull();
    }

    [Fact]
    public async Task Upserting_an_isbn_again_keeps_its_id_and_takes_the_new_details()
    {
        var first = await Books.UpsertEditionAsync(NewEdition(title: "Old title"));

        var second = await Books.UpsertEditionAsync(NewEdition(title: "New title"));

        second.Id.Should().Be(first.Id);
        (await Books.GetEditionAsync(first.Id))!.Title.Should().Be("New title");
    }

    [Fact]
    public async Task Upserting_an_id_again_with_a_new_isbn_moves_the_edition_to_that_isbn()
    {
        var first = await Books.UpsertEditionAsync(NewEdition(isbn: "9780306406157", title: "Misprinted"));

        var moved = await Books.UpsertEditionAsync(NewEdition(isbn: "9780262033848", title: "Corrected") with { Id = first.Id });

        moved.Id.Should().Be(first.Id);
        (await Books.GetEditionAsync(first.Id))!.Isbn13.Should().Be("9780262033848");
        (await Books.FindEditionByIsbnAsync(Isbn.Parse("9780262033848")))!.Id.Should().Be(first.Id);
        (await Books.FindEditionByIsbnAsync(Isbn.Parse("9780306406157"))).Should().BeNull("the old ISBN no longer names an edition");
    }

    [Fact]
    public async Task An_edition_has_at_most_one_audiobook()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var first = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(first);

        var act = () => Books.CreateAudioBookAsync(NewAudioBook(edition.Id));

        (await act.Should().ThrowAsync<AudioBookExistsException>()).Which.ExistingAudioBookId.Should().Be(first.Id);
        (await Books.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Summary))!.Id.Should().Be(first.Id);
    }

    [Fact]
    public async Task An_edition_has_a_summary_and_a_narration_side_by_side_each_found_by_its_mode()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var other = await Books.UpsertEditionAsync(NewEdition(isbn: "9780262033848", title: "Other"));
        var summary = NewAudioBook(edition.Id);
        var narration = NewAudioBook(edition.Id) with { Mode = AudioBookMode.Narration, Grounding = AudioBookGrounding.Text };

        await Books.CreateAudioBookAsync(summary);
        await Books.CreateAudioBookAsync(narration);

        (await Books.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Summary))!.Id.Should().Be(summary.Id);
        (await Books.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Narration))!.Id.Should().Be(narration.Id);
        (await Books.FindAudioBookByEditionAsync(other.Id, AudioBookMode.Narration)).Should().BeNull();
        (await Books.ListAudioBooksAsync(0, 10)).Items.Select(b => b.Id).Should().BeEquivalentTo([summary.Id, narration.Id]);
    }

    [Fact]
    public async Task A_second_audiobook_in_the_same_mode_is_refused_naming_the_first_of_that_mode()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var summary = NewAudioBook(edition.Id);
        var narration = NewAudioBook(edition.Id) with { Mode = AudioBookMode.Narration, Grounding = AudioBookGrounding.Text };
        await Books.CreateAudioBookAsync(summary);
        await Books.CreateAudioBookAsync(narration);
        var second = NewAudioBook(edition.Id) with { Mode = AudioBookMode.Narration, Grounding = AudioBookGrounding.Text };

        var act = () => Books.CreateAudioBookAsync(second);

        var refused = (await act.Should().ThrowAsync<AudioBookExistsException>()).Which;
        refused.ExistingAudioBookId.Should().Be(narration.Id);
        refused.EditionId.Should().Be(edition.Id);
        (await Books.GetAudioBookAsync(second.Id)).Should().BeNull("a refused audiobook is not stored");
        (await Books.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Narration))!.Id.Should().Be(narration.Id);
    }

    [Fact]
    public async Task Mode_grounding_and_summary_words_round_trip_through_create_get_and_list()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var summary = NewAudioBook(edition.Id) with { Mode = AudioBookMode.Summary, Grounding = AudioBookGrounding.Text, SummaryWords = 250 };
        Time.Advance(TimeSpan.FromSeconds(1));
        var narration = NewAudioBook(edition.Id) with { Mode = AudioBookMode.Narration, Grounding = AudioBookGrounding.Text, CreatedAt = Time.GetUtcNow() };
        var plain = NewAudioBook((await Books.UpsertEditionAsync(NewEdition(isbn: "9780262033848", title: "Other"))).Id);

        await Books.CreateAudioBookAsync(summary);
        await Books.CreateAudioBookAsync(narration);
        await Books.CreateAudioBookAsync(plain);

        (await Books.GetAudioBookAsync(summary.Id)).Should().BeEquivalentTo(summary, CloseTimes);
        (await Books.GetAudioBookAsync(narration.Id)).Should().BeEquivalentTo(narration, CloseTimes);
        (await Books.GetAudioBookAsync(plain.Id)).Should().BeEquivalentTo(plain, CloseTimes);
        (await Books.GetAudioBookAsync(plain.Id))!.Mode.Should().Be(AudioBookMode.Summary, "a new audiobook is a summary unless it says otherwise");
        (await Books.GetAudioBookAsync(plain.Id))!.Grounding.Should().Be(AudioBookGrounding.Model);
        (await Books.GetAudioBookAsync(plain.Id))!.SummaryWords.Should().BeNull();
        (await Books.ListAudioBooksAsync(0, 10)).Items.Should().BeEquivalentTo([summary, narration, plain], CloseTimes);
    }

    [Fact]
    public async Task An_update_keeps_what_the_audiobook_is_made_of()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var other = await Books.UpsertEditionAsync(NewEdition(isbn: "9780262033848", title: "Other"));
        var book = NewAudioBook(edition.Id) with { Mode = AudioBookMode.Summary, Grounding = AudioBookGrounding.Text, SummaryWords = 300 };
        await Books.CreateAudioBookAsync(book);
        Time.Advance(TimeSpan.FromSeconds(5));
        var changed = book with
        {
            EditionId = other.Id,
            Mode = AudioBookMode.Narration,
            Grounding = AudioBookGrounding.Model,
            SummaryWords = 50,
            CreatedAt = Time.GetUtcNow(),
            Status = AudioBookStatus.Completed,
            Voice = "nova",
            UpdatedAt = Time.GetUtcNow(),
        };

        await Books.UpdateAudioBookAsync(changed);

        var read = await Books.GetAudioBookAsync(book.Id);
        read.Should().BeEquivalentTo(
            changed with { EditionId = edition.Id, Mode = AudioBookMode.Summary, Grounding = AudioBookGrounding.Text, SummaryWords = 300, CreatedAt = book.CreatedAt },
            CloseTimes);
        (await Books.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Summary))!.Id.Should().Be(book.Id);
        (await Books.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Narration)).Should().BeNull();
        (await Books.FindAudioBookByEditionAsync(other.Id, AudioBookMode.Narration)).Should().BeNull();
    }

    [Fact]
    public async Task An_audiobook_needs_a_stored_edition()
    {
        var act = () => Books.CreateAudioBookAsync(NewAudioBook(Guid.NewGuid()));

        await act.Should().ThrowAsync<EditionNotFoundException>();
    }

    [Fact]
    public async Task An_audiobook_round_trips_and_updates()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        Time.Advance(TimeSpan.FromSeconds(5));
        var updated = book with
        {
            Status = AudioBookStatus.PartiallyCompleted,
            Version = 2,
            PendingVersion = 3,
            TotalDurationSeconds = 123.5,
            ErrorMessage = "Chapter 2 failed.",
            Usage = new UsageTotals(new Llm.LlmUsage(11, 22), 33),
            UpdatedAt = Time.GetUtcNow(),
            Package = new AudioBookPackage
            {
                Version = 2,
                Chapters = [1, 3],
                Complete = false,
                DurationSeconds = 4_321.125,
                Files =
                [
                    new PackagedFile(Packaging.PackageFormat.M4b, $"audiobooks/{book.Id}/v2/book.m4b", 12_345_678_901),
                    new PackagedFile(Packaging.PackageFormat.Mp3, $"audiobooks/{book.Id}/v2/book.mp3", 42),
                ],
                CreatedAt = Time.GetUtcNow(),
            },
        };

        await Books.UpdateAudioBookAsync(updated);

        (await Books.GetAudioBookAsync(book.Id)).Should().BeEquivalentTo(updated, o => o.Using<DateTimeOffset>(c => c.Subject.Should().BeCloseTo(c.Expectation, TimeSpan.FromMilliseconds(1))).WhenTypeIs<DateTimeOffset>());
        (await Books.GetAudioBookAsync(Guid.NewGuid())).Should().BeNull();
        await FluentActions.Awaiting(() => Books.UpdateAudioBookAsync(NewAudioBook(edition.Id))).Should().ThrowAsync<AudioBookNotFoundException>();
    }

    [Fact]
    public async Task Audiobooks_are_listed_newest_first_with_the_total()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var edition = await Books.UpsertEditionAsync(NewEdition(isbn: Fakes.TestIsbn.Create(i).Value, title: $"Book {i}"));
            var book = NewAudioBook(edition.Id);
            await Books.CreateAudioBookAsync(book);
            ids.Add(book.Id);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var page1 = await Books.ListAudioBooksAsync(0, 2);
        var page3 = await Books.ListAudioBooksAsync(4, 2);

        page1.Total.Should().Be(5);
        page1.Items.Select(b => b.Id).Should().Equal(ids[4], ids[3]);
        page3.Items.Select(b => b.Id).Should().Equal(ids[0]);
    }

    [Fact]
    public async Task Chapters_are_saved_upserted_listed_in_order_and_deleted_by_version()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        await Books.SaveChaptersAsync([NewChapter(book.Id, 2), NewChapter(book.Id, 1), NewChapter(book.Id, 1, version: 2)]);
        var done = NewChapter(book.Id, 2) with
        {
            Status = ChapterStatus.Completed,
            Summary = "Words words.",
            WordCount = 2,
            AudioKey = "audiobooks/x/v1/chapter-002.mp3",
            AudioSizeBytes = 1234,
            DurationSeconds = 12.5,
            Usage = new UsageTotals(new Llm.LlmUsage(1, 2), 3),
        };

        await Books.SaveChaptersAsync([done]);

        var v1 = await Books.GetChaptersAsync(book.Id, 1);
        v1.Select(c => c.Number).Should().Equal(1, 2);
        v1[1].Should().BeEquivalentTo(done, o => o.Using<DateTimeOffset>(c => c.Subject.Should().BeCloseTo(c.Expectation, TimeSpan.FromMilliseconds(1))).WhenTypeIs<DateTimeOffset>());
        (await Books.DeleteChaptersAsync(book.Id, 1)).Should().Be(2);
        (await Books.GetChaptersAsync(book.Id, 1)).Should().BeEmpty();
        (await Books.GetChaptersAsync(book.Id, 2)).Should().HaveCount(1);
    }

    [Fact]
    public async Task Writes_carrying_a_lost_lease_are_refused_and_change_nothing()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        await Jobs.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        var old = await Jobs.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));
        await Books.SaveChaptersAsync([NewChapter(book.Id, 1)], old!.Lease);
        Time.Advance(TimeSpan.FromMinutes(2));
        var current = await Jobs.ClaimNextAsync("w2", TimeSpan.FromMinutes(1));

        await FluentActions.Awaiting(() => Books.SaveChaptersAsync([NewChapter(book.Id, 1) with { Title = "stale" }], old.Lease)).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Books.UpdateAudioBookAsync(book with { Status = AudioBookStatus.Failed }, old.Lease)).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Books.DeleteChaptersAsync(book.Id, 1, old.Lease)).Should().ThrowAsync<LeaseLostException>();
        await Books.SaveChaptersAsync([NewChapter(book.Id, 1) with { Title = "fresh" }], current!.Lease);

        (await Books.GetChaptersAsync(book.Id, 1)).Single().Title.Should().Be("fresh");
        (await Books.GetAudioBookAsync(book.Id))!.Status.Should().Be(AudioBookStatus.Pending);
    }

    [Fact]
    public async Task Retention_deletes_an_old_jobs_audiobook_link_but_never_the_audiobook_or_its_chapters()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        await Books.SaveChaptersAsync([NewChapter(book.Id, 1)]);
        var old = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookGeneration, "{}"));
        var claimed = await Jobs.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));
        await Jobs.CompleteAsync(claimed!.Lease);
        Time.Advance(TimeSpan.FromDays(40));
        var current = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookRefresh, "{}"));

        var deleted = await Jobs.DeleteFinishedJobsAsync(Time.GetUtcNow() - TimeSpan.FromDays(30), 100);

        deleted.Should().Be(1);
        (await Jobs.GetAsync(old.Id)).Should().BeNull();
        (await Books.GetAudioBookIdForJobAsync(old.Id)).Should().BeNull();
        (await Books.GetJobIdsForAudioBookAsync(book.Id)).Should().Equal(current.Id);
        (await Books.GetAudioBookIdForJobAsync(current.Id)).Should().Be(book.Id);
        (await Books.GetAudioBookAsync(book.Id)).Should().NotBeNull();
        (await Books.GetChaptersAsync(book.Id, book.Version)).Should().ContainSingle();
        (await Books.GetEditionAsync(edition.Id)).Should().NotBeNull();
    }

    [Fact]
    public async Task A_linked_job_is_refused_while_another_is_pending_or_processing_and_accepted_once_it_ends()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);

        var first = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookGeneration, "{}"));
        var whilePending = () => Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookRefresh, "{}"));
        (await whilePending.Should().ThrowAsync<JobInProgressException>()).Which.JobId.Should().Be(first.Id);
        var claimed = await Jobs.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));
        await whilePending.Should().ThrowAsync<JobInProgressException>();
        await Jobs.CompleteAsync(claimed!.Lease);
        var second = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookRefresh, "{}"));

        first.Status.Should().Be(JobStatus.Pending);
        (await Jobs.GetAsync(second.Id))!.Type.Should().Be(JobKind.AudiobookRefresh);
        (await Books.GetJobIdsForAudioBookAsync(book.Id)).Should().Equal(first.Id, second.Id);
        (await Books.GetAudioBookIdForJobAsync(second.Id)).Should().Be(book.Id);
        (await Jobs.CountAsync()).Should().Be(2, "a refused enqueue writes nothing");
    }

    [Fact]
    public async Task A_pending_packaging_job_is_superseded_by_a_newer_linked_job_and_never_runs()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        var packaging = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookPackaging, "{}", NotBefore: Time.GetUtcNow().AddSeconds(15)));
        Time.Advance(TimeSpan.FromSeconds(2));

        var refresh = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookRefresh, "{}"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var claimed = await Jobs.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));
        var next = await Jobs.ClaimNextAsync("w2", TimeSpan.FromMinutes(1));

        var superseded = await Jobs.GetAsync(packaging.Id);
        superseded!.Status.Should().Be(JobStatus.Failed);
        superseded.ErrorCode.Should().Be(ErrorCodes.JobSuperseded);
        superseded.ErrorMessage.Should().Contain(refresh.Id.ToString());
        superseded.Attempt.Should().Be(0, "it never ran");
        superseded.CompletedAt.Should().NotBeNull();
        claimed!.Job.Id.Should().Be(refresh.Id);
        next.Should().BeNull("the superseded job is not claimable");
        (await Books.GetJobIdsForAudioBookAsync(book.Id)).Should().Equal(packaging.Id, refresh.Id);
    }

    [Fact]
    public async Task A_packaging_job_that_is_processing_holds_the_audiobook_like_any_other()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        var packaging = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookPackaging, "{}"));
        var claimed = await Jobs.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));

        var refresh = () => Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookRefresh, "{}"));

        claimed!.Job.Id.Should().Be(packaging.Id);
        (await refresh.Should().ThrowAsync<JobInProgressException>()).Which.JobId.Should().Be(packaging.Id);
        (await Jobs.GetAsync(packaging.Id))!.Status.Should().Be(JobStatus.Processing);
        (await Jobs.CountAsync()).Should().Be(1, "a refused enqueue writes nothing");
    }

    [Fact]
    public async Task A_generation_job_that_still_holds_a_pending_packaging_job_is_refused_and_the_packaging_job_is_kept()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        var generation = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookGeneration, "{}"));
        _ = await Jobs.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));
        var packaging = await Books.EnqueueFollowUpJobAsync(book.Id, new NewJob(JobKind.AudiobookPackaging, "{}", NotBefore: Time.GetUtcNow().AddSeconds(15)), generation.Id);

        var refresh = () => Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookRefresh, "{}"));

        (await refresh.Should().ThrowAsync<JobInProgressException>()).Which.JobId.Should().Be(generation.Id);
        (await Jobs.GetAsync(packaging.Id))!.Status.Should().Be(JobStatus.Pending, "a refused enqueue supersedes nothing");
    }

    [Fact]
    public async Task A_follow_up_job_is_enqueued_while_the_job_it_follows_runs_but_not_beside_another()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        var generation = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookGeneration, "{}"));
        _ = await Jobs.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));

        var first = await Books.EnqueueFollowUpJobAsync(book.Id, new NewJob(JobKind.AudiobookPackaging, "{}", NotBefore: Time.GetUtcNow().AddSeconds(15)), generation.Id);
        var second = await Books.EnqueueFollowUpJobAsync(book.Id, new NewJob(JobKind.AudiobookPackaging, "{}", NotBefore: Time.GetUtcNow().AddSeconds(15)), generation.Id);
        var unrelated = () => Books.EnqueueFollowUpJobAsync(book.Id, new NewJob(JobKind.AudiobookRefresh, "{}"), Guid.NewGuid());

        (await unrelated.Should().ThrowAsync<JobInProgressException>()).Which.JobId.Should().Be(generation.Id);
        (await Jobs.GetAsync(first.Id))!.ErrorCode.Should().Be(ErrorCodes.JobSuperseded, "the second packaging replaces the first, still waiting");
        (await Jobs.GetAsync(second.Id))!.Status.Should().Be(JobStatus.Pending);
        (await Books.GetJobIdsForAudioBookAsync(book.Id)).Should().Equal(generation.Id, first.Id, second.Id);
    }

    [Fact]
    public async Task Deleting_an_audiobook_removes_it_its_chapters_of_every_version_and_its_jobs_and_keeps_its_edition_and_others()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        var other = NewAudioBook(edition.Id) with { Mode = AudioBookMode.Narration, Grounding = AudioBookGrounding.Text };
        await Books.CreateAudioBookAsync(other);
        await Books.SaveChaptersAsync([NewChapter(book.Id, 1), NewChapter(book.Id, 2), NewChapter(book.Id, 1, version: 2), NewChapter(other.Id, 1)]);
        var job = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookGeneration, "{}"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var otherJob = await Books.EnqueueLinkedJobAsync(other.Id, new NewJob(JobKind.AudiobookGeneration, "{}"));
        var claimed = await Jobs.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));
        claimed!.Job.Id.Should().Be(job.Id);
        var whileRunning = () => Books.DeleteAudioBookAsync(book.Id);
        (await whileRunning.Should().ThrowAsync<JobInProgressException>()).Which.JobId.Should().Be(job.Id);
        (await Books.GetAudioBookAsync(book.Id)).Should().NotBeNull("a refused delete deletes nothing");
        await Jobs.CompleteAsync(claimed.Lease);

        var deleted = await Books.DeleteAudioBookAsync(book.Id);
        var again = await Books.DeleteAudioBookAsync(book.Id);

        deleted.Should().BeTrue();
        again.Should().BeFalse();
        (await Books.GetAudioBookAsync(book.Id)).Should().BeNull();
        (await Books.GetChaptersAsync(book.Id, 1)).Should().BeEmpty();
        (await Books.GetChaptersAsync(book.Id, 2)).Should().BeEmpty();
        (await Books.GetJobIdsForAudioBookAsync(book.Id)).Should().BeEmpty();
        (await Jobs.GetAsync(job.Id)).Should().BeNull("its jobs go with it");
        (await Books.GetAudioBookIdForJobAsync(job.Id)).Should().BeNull();
        (await Books.GetEditionAsync(edition.Id)).Should().NotBeNull("the edition is kept");
        (await Books.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Summary)).Should().BeNull();
        (await Books.GetAudioBookAsync(other.Id)).Should().NotBeNull();
        (await Books.GetChaptersAsync(other.Id, 1)).Should().ContainSingle();
        (await Jobs.GetAsync(otherJob.Id)).Should().NotBeNull();
        var recreated = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(recreated);
        (await Books.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Summary))!.Id.Should().Be(recreated.Id, "the edition can be made into an audiobook again");
    }

    [Fact]
    public async Task Eight_enqueuers_racing_for_one_audiobook_enqueue_exactly_one_job()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookRefresh, "{}"));
            }
            catch (JobInProgressException)
            {
                return null;
            }
        })));

        outcomes.OfType<Job>().Should().ContainSingle();
        (await Books.GetJobIdsForAudioBookAsync(book.Id)).Should().ContainSingle();
        (await Jobs.CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task Several_editions_are_read_at_once_and_unknown_ids_are_left_out()
    {
        var first = await Books.UpsertEditionAsync(NewEdition("9780306406157", "First"));
        var second = await Books.UpsertEditionAsync(NewEdition("9780262033848", "Second"));

        var editions = await Books.GetEditionsAsync([second.Id, Guid.NewGuid(), first.Id, second.Id]);

        editions.Select(e => e.Title).Should().BeEquivalentTo("First", "Second");
        editions.Single(e => e.Id == first.Id).Should().BeEquivalentTo(await Books.GetEditionAsync(first.Id));
        (await Books.GetEditionsAsync([])).Should().BeEmpty();
    }

    [Fact]
    public async Task Jobs_are_linked_to_their_audiobook()
    {
        var edition = await Books.UpsertEditionAsync(NewEdition());
        var book = NewAudioBook(edition.Id);
        await Books.CreateAudioBookAsync(book);
        var first = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookGeneration, "{}"));
        var lease = (await Jobs.ClaimNextAsync("w", TimeSpan.FromMinutes(1)))!.Lease;
        await Jobs.CompleteAsync(lease);

        var second = await Books.EnqueueLinkedJobAsync(book.Id, new NewJob(JobKind.AudiobookRefresh, "{}"));

        (await Books.GetAudioBookIdForJobAsync(first.Id)).Should().Be(book.Id);
        (await Books.GetAudioBookIdForJobAsync(Guid.NewGuid())).Should().BeNull();
        (await Books.GetJobIdsForAudioBookAsync(book.Id)).Should().Equal(first.Id, second.Id);
    }
}
