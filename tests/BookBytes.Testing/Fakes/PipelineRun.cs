using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Pipeline;
using BookBytes.Pipeline.Processing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BookBytes.Testing.Fakes;

/// <summary>
/// Runs one whole book through a container the test has registered its adapters in: the job runner is
/// started, the book processed and watched until its job ends (60 s at the most), and the runner stopped.
/// </summary>
public static class PipelineRun
{
    /// <summary>The ISBN of the book <see cref="RunBookAsync"/> processes.</summary>
    public const string Isbn = "9780262033848";

    /// <summary>The title the catalog gives the book <see cref="RunBookAsync"/> processes.</summary>
    public const string Title = "Deep Work";

    /// <summary>
    /// Settings that keep a run short: 80-word summaries, 200-character speech chunks and a 20 ms poll,
    /// for <c>AddBookBytes(PipelineRun.Fast)</c>.
    /// </summary>
    public static void Fast(BookBytesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Summary.Words = 80;
        options.Tts.ChunkCharacters = 200;
        options.Jobs.PollInterval = TimeSpan.FromMilliseconds(20);
    }

    /// <summary>
    /// A summary of about <paramref name="words"/> words for a chapter whose every sentence names the chapter, so the speech
    /// chunks cut from it as it streams can be told apart from other chapters' (<see cref="SpokenChunks"/>).
    /// </summary>
    /// <param name="chapter">The chapter number.</param>
    /// <param name="title">The chapter title.</param>
    /// <param name="words">About how many words.</param>
    /// <returns>The summary.</returns>
    public static string DistinctSummary(int chapter, string title, int words)
        => FakeLlmProvider.SummaryText(chapter, title, words).Replace("of the chapter,", $"of chapter {chapter},", StringComparison.Ordinal);

    /// <summary>The speech requests' texts of one chapter with a <see cref="DistinctSummary"/>, in the summary's order.</summary>
    /// <param name="texts">Every speech request's text.</param>
    /// <param name="chapter">The chapter number.</param>
    /// <param name="summary">The chapter's summary.</param>
    /// <returns>The chapter's chunks, in order.</returns>
    public static IReadOnlyList<string> SpokenChunks(IEnumerable<string> texts, int chapter, string summary)
        => [.. texts.Where(t => t.Contains(FakeLlmProvider.Marker(chapter), StringComparison.Ordinal) || t.Contains($"of chapter {chapter},", StringComparison.Ordinal))
            .OrderBy(t => summary.IndexOf(t, StringComparison.Ordinal))];

    /// <summary>The words of a text, for comparing chunks joined with the text they were cut from (white space aside).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Its words.</returns>
    public static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Adds a catalog that knows the book <see cref="Isbn"/> (<see cref="Title"/>), builds
    /// <paramref name="services"/>, processes the book with <paramref name="voice"/>, asserts that its job
    /// completed, and returns the audiobook as it was stored. The container is disposed before this returns.
    /// </summary>
    public static async Task<AudioBookDetails> RunBookAsync(IServiceCollection services, string? voice = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var catalog = new FakeBookCatalog();
        var isbn = catalog.Add(Isbn, Title);
        services.AddSingleton<IBookCatalog>(catalog);
        await using var provider = services.BuildServiceProvider();
        // The job runner and the retention sweep: every hosted service AddBookBytes registered.
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var processing = provider.GetRequiredService<ProcessingService>();

        var started = await processing.StartProcessingAsync(isbn, voice);
        JobDetails? last = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var details in processing.WatchJobAsync(started.Job.Id, TimeSpan.FromMilliseconds(20)).WithCancellation(deadline.Token))
        {
            last = details;
        }

        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }

        last.Should().NotBeNull("the job is watched until it ends");
        last!.Job.Status.Should().Be(JobStatus.Completed, last.Job.ErrorMessage);
        return (await processing.GetAudioBookAsync(started.AudioBook.Id))!;
    }
}
