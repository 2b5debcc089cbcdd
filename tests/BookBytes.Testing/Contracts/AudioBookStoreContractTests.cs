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
                Storage.StorageKey.Parse($"sources/{id}/book.json")),
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
