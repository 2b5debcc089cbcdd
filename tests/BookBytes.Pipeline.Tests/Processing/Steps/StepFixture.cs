using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.Pipeline.Processing.Steps;
using BookBytes.Pipeline.Stores;
using BookBytes.Pipeline.Throttling;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.Options;

namespace BookBytes.Pipeline.Tests.Processing.Steps;

/// <summary>One claimed audiobook job over in-memory doubles, for testing the steps one at a time.</summary>
internal sealed class StepFixture : IDisposable
{
    private StepFixture(BookBytesOptions options)
    {
        Options = options;
        Throttles = new ProviderThrottles(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
        Metrics = new BookBytesMetrics();
        Services = new PipelineServices(Store, Store, Throttles, Metrics, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(options));
        Retry = new AnswerRetry(options.Llm.MaxAnswerTries, TimeSpan.Zero, TimeProvider.System, Services.Logger);
        LlmCalls = new CallRetry(options.Llm.CallRetries, retryUnusableAnswers: false, TimeSpan.Zero, TimeProvider.System, Services.Logger);
        TtsCalls = new CallRetry(options.Tts.CallRetries, retryUnusableAnswers: true, TimeSpan.Zero, TimeProvider.System, Services.Logger);
        Check = new SpeechCheck(options.Tts.MinCharactersPerSecond, options.Tts.MaxCharactersPerSecond);
    }

    public BookBytesOptions Options { get; }

    public InMemoryBookBytesStore Store { get; } = new();

    public InMemoryStorageBackend Storage { get; } = new();

    public FakeLlmProvider Llm { get; } = new();

    public FakeTtsProvider Tts { get; } = new();

    public ProviderThrottles Throttles { get; }

    public BookBytesMetrics Metrics { get; }

    public PipelineServices Services { get; }

    public AnswerRetry Retry { get; }

    public CallRetry LlmCalls { get; }

    public CallRetry TtsCalls { get; }

    public SpeechCheck Check { get; }

    public AudioBook Book { get; private set; } = null!;

    public Edition Edition { get; private set; } = null!;

    public BookRunContext Run { get; private set; } = null!;

    public ProgressReporter Progress => Run.Progress;

    /// <summary>Creates the fixture: an edition, its audiobook and a claimed job for it.</summary>
    public static async Task<StepFixture> CreateAsync(Action<BookBytesOptions>? configure = null, IReadOnlyList<string>? tableOfContents = null, int summaryWords = 60)
    {
        var options = new BookBytesOptions();
        options.Summary.Words = summaryWords;
        configure?.Invoke(options);
        var fixture = new StepFixture(options);
        await fixture.InitializeAsync(tableOfContents);
        return fixture;
    }

    public Chapter Chapter(int number, string? summary = null) => new()
    {
        AudioBookId = Book.Id,
        Version = Book.Version,
        Number = number,
        Title = $"Chapter title {number}",
        Status = summary is null ? ChapterStatus.Pending : ChapterStatus.Summarized,
        Summary = summary,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    public void Dispose()
    {
        Progress.Dispose();
        Throttles.Dispose();
        Metrics.Dispose();
    }

    private async Task InitializeAsync(IReadOnlyList<string>? tableOfContents)
    {
        var edition = await Store.UpsertEditionAsync(new Edition
        {
            Id = Guid.NewGuid(),
            Isbn13 = "9780306406157",
            Title = "Step Book",
            Authors = ["Ada Author"],
            TableOfContents = [.. (tableOfContents ?? []).Select(title => new TableOfContentsEntry(title, 1))],
        });
        Edition = edition;
        var now = DateTimeOffset.UtcNow;
        Book = new AudioBook { Id = Guid.CreateVersion7(), EditionId = edition.Id, Status = AudioBookStatus.Processing, Voice = "alloy", CreatedAt = now, UpdatedAt = now };
        await Store.CreateAudioBookAsync(Book);
        await Store.EnqueueLinkedJobAsync(Book.Id, new NewJob(JobKind.AudiobookGeneration, new AudioBookJobPayload(Book.Id).ToJson()));
        var claimed = (await Store.ClaimNextAsync("step-test", TimeSpan.FromMinutes(5)))!;
        var execution = new JobExecution(claimed.Job, claimed.Lease, CancellationToken.None);
        Run = new BookRunContext(
            execution,
            Book.Id,
            Book.Version,
            Book.Voice,
            AudioFormat.Mp3,
            new BookContext(edition.Title, edition.Authors, edition.Language, null, tableOfContents, Options.Summary.Words),
            Llm,
            Tts,
            Storage,
            new ProgressReporter(Store, Metrics, claimed.Job, claimed.Lease, Services.Logger));
    }
}
